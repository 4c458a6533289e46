using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TransformersBook.Positional;

/// <summary>
/// Relative positions in the style of Shaw, Uszkoreit and Vaswani (2018): what query i sees of key j depends on the
/// offset j − i, clipped to [−k, k] (beyond k words, they found, the exact distance stops mattering), through a
/// learned embedding per clipped offset. Shaw et al. learn a vector a_ij per offset, add it to the key inside the
/// logit (q_i · (k_j + a_ij)) and a second one to the value. This is the simplified form later used by T5 (Raffel et al.,
/// 2020) without its log-spaced buckets: one learned scalar per head and offset, added straight to the attention
/// logits, and nothing added to the values. The bias depends only on j − i, so it is the same at every absolute
/// position.
/// </summary>
public sealed class RelativePositionBias : nn.Module<Tensor, Tensor>
{
    readonly Embedding biases;

    /// <param name="heads">One bias table per attention head.</param>
    /// <param name="maxDistance">k: offsets further than k either way share the bias of ±k.</param>
    public RelativePositionBias(int heads, int maxDistance) : base(nameof(RelativePositionBias))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(heads);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxDistance);
        Heads = heads;
        MaxDistance = maxDistance;
        biases = nn.Embedding(2 * maxDistance + 1, heads);
        RegisterComponents();
    }

    public int Heads { get; }

    public int MaxDistance { get; }

    /// <summary>The learned table, (2k + 1, heads): row r holds each head's bias for offset r − k.</summary>
    public Tensor Weight => biases.weight!;

    /// <summary>The offsets j − i clipped to [−k, k], as (queryLength, keyLength) indices into <see cref="Weight"/>.</summary>
    /// <remarks>The queries are taken to be the last <c>queryLength</c> of the keys' positions, as when decoding with a cache.</remarks>
    public Tensor ClippedOffsets(long queryLength, long keyLength, Device? device = null)
    {
        using var scope = NewDisposeScope();
        var queries = arange(keyLength - queryLength, keyLength, dtype: ScalarType.Int64, device: device).unsqueeze(1);
        var keys = arange(keyLength, dtype: ScalarType.Int64, device: device).unsqueeze(0);
        return ((keys - queries).clamp(-MaxDistance, MaxDistance) + MaxDistance).MoveToOuterDisposeScope();
    }

    /// <summary>The bias to add to the attention logits, (heads, queryLength, keyLength); broadcasts over the batch.</summary>
    public Tensor Bias(long queryLength, long keyLength)
    {
        using var scope = NewDisposeScope();
        var offsets = ClippedOffsets(queryLength, keyLength, biases.weight!.device);
        return biases.forward(offsets).permute(2, 0, 1).MoveToOuterDisposeScope();
    }

    /// <summary>Adds the bias to attention logits.</summary>
    /// <param name="logits">(batch, heads, queries, keys) scores QKᵀ/√d before the softmax.</param>
    public override Tensor forward(Tensor logits)
    {
        using var scope = NewDisposeScope();
        return (logits + Bias(logits.shape[^2], logits.shape[^1])).MoveToOuterDisposeScope();
    }
}
