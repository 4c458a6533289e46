using TorchSharp;
using TorchSharp.Modules;
using TransformersBook.Positional;
using TransformersBook.Attention;
using static TorchSharp.torch;

namespace TransformersBook.Models;

/// <summary>
/// Causal multi-head self-attention with a pluggable way of seeing positions inside the attention itself: RoPE rotates
/// the queries and keys before their dot products, relative and ALiBi biases are added to the logits before the causal
/// mask. For the absolute schemes (and none) it is plain causal attention, the same function as
/// <see cref="Attention.CausalSelfAttention"/>.
/// </summary>
public sealed class PositionalProbeAttention : nn.Module<Tensor, Tensor>
{
    readonly Linear qkv;
    readonly Linear output;
    readonly RotaryEmbedding? rotary;
    readonly RelativePositionBias? relative;
    readonly AlibiBias? alibi;
    readonly int heads;

    /// <param name="config">Width, heads and the position scheme.</param>
    public PositionalProbeAttention(PositionalProbeConfig config) : base(nameof(PositionalProbeAttention))
    {
        if (config.Width % config.Heads != 0) throw new ArgumentException($"width {config.Width} is not divisible by {config.Heads} heads.", nameof(config));
        heads = config.Heads;
        qkv = nn.Linear(config.Width, 3 * config.Width);
        output = nn.Linear(config.Width, config.Width);
        switch (config.Scheme)
        {
            case PositionScheme.Rotary: rotary = new RotaryEmbedding(config.HeadSize); break;
            case PositionScheme.Relative: relative = new RelativePositionBias(config.Heads, config.MaxRelativeDistance); break;
            case PositionScheme.Alibi: alibi = new AlibiBias(config.Heads); break;
        }
        RegisterComponents();
    }

    /// <summary>Each head's attention weights, (batch, heads, time, time), for looking inside a trained model.</summary>
    /// <param name="x">(batch, time, width), already normalised.</param>
    public Tensor Weights(Tensor x)
    {
        using var scope = NewDisposeScope();
        var (q, k, _) = Project(x);
        return WeightsOf(q, k).MoveToOuterDisposeScope();
    }

    /// <param name="x">(batch, time, width), already normalised.</param>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], t = x.shape[1], c = x.shape[2];
        var (q, k, v) = Project(x);
        var y = WeightsOf(q, k).matmul(v).transpose(1, 2).reshape(b, t, c);
        return output.forward(y).MoveToOuterDisposeScope();
    }

    (Tensor Q, Tensor K, Tensor V) Project(Tensor x)
    {
        long b = x.shape[0], t = x.shape[1], c = x.shape[2];
        var split = qkv.forward(x).view(b, t, 3, heads, c / heads).permute(2, 0, 3, 1, 4);   // (3, B, heads, T, d_k)
        Tensor q = split[0], k = split[1];
        if (rotary is not null) { q = rotary.forward(q); k = rotary.forward(k); }
        return (q, k, split[2]);
    }

    Tensor WeightsOf(Tensor q, Tensor k)
    {
        long t = q.shape[^2];
        var logits = q.matmul(k.transpose(-2, -1)) / Math.Sqrt(q.shape[^1]);
        if (relative is not null) logits = relative.forward(logits);
        if (alibi is not null) logits = alibi.forward(logits);
        var mask = AttentionMasks.ToAdditive(AttentionMasks.Causal(t, logits.device), logits.dtype);
        return nn.functional.softmax(logits + mask, dim: -1);
    }
}
