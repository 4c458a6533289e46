using TorchSharp;
using static TorchSharp.torch;

namespace TransformersBook.Attention;

/// <summary>
/// Boolean attention masks in the convention of PyTorch's scaled_dot_product_attention: true = this query may attend to
/// this key. Masks broadcast against scores of shape (batch, heads, queries, keys).
/// </summary>
public static class AttentionMasks
{
    /// <summary>
    /// The decoder's mask of Vaswani et al. (2017): query i sees keys 0…i only, so training on whole sequences at once
    /// cannot leak the tokens a position is asked to predict.
    /// </summary>
    /// <returns>(length, length), lower triangle true.</returns>
    public static Tensor Causal(long length, Device? device = null) => CausalAfter(0, length, device);

    /// <summary>
    /// Causal attention for new queries that follow <paramref name="past"/> earlier keys (a KV cache, or a prefix that
    /// every query may read): query i sees keys 0 … past + i.
    /// </summary>
    /// <returns>(queries, past + queries), true where the query may attend.</returns>
    public static Tensor CausalAfter(long past, long queries, Device? device = null)
    {
        if (past < 0) throw new ArgumentOutOfRangeException(nameof(past), past, "The number of earlier keys cannot be negative.");
        return ones(queries, past + queries, dtype: ScalarType.Bool, device: device).tril(past);
    }

    /// <summary>Which positions of right-padded sequences hold real tokens.</summary>
    /// <param name="lengths">(batch) the true length of each sequence, int64.</param>
    /// <param name="length">The padded length.</param>
    /// <returns>(batch, length): true at positions &lt; the sequence's length.</returns>
    public static Tensor Padding(Tensor lengths, long length)
    {
        using var scope = NewDisposeScope();
        var positions = arange(length, dtype: ScalarType.Int64, device: lengths.device);
        return (positions.unsqueeze(0) < lengths.to_type(ScalarType.Int64).unsqueeze(1)).MoveToOuterDisposeScope();
    }

    /// <summary>Which tokens are not <paramref name="paddingId"/>: (batch, length) from (batch, length) token ids.</summary>
    public static Tensor NotPadding(Tensor tokens, long paddingId) => tokens.ne(paddingId);

    /// <summary>
    /// A (batch, keys) padding mask reshaped to (batch, 1, 1, keys), so that every head and every query of a sequence
    /// ignores that sequence's padded keys.
    /// </summary>
    public static Tensor ForKeys(Tensor padding) => padding.unsqueeze(1).unsqueeze(1);

    /// <summary>
    /// A query may attend to a key only where every mask allows it; shapes broadcast, so a (T, T) causal mask and a
    /// (B, 1, 1, T) padding mask combine into (B, 1, T, T).
    /// </summary>
    public static Tensor Combine(Tensor first, params Tensor[] others)
    {
        using var scope = NewDisposeScope();
        var combined = first;
        foreach (var mask in others) combined = combined.logical_and(mask);
        return combined.alias().MoveToOuterDisposeScope();
    }

    /// <summary>The additive form of a boolean mask: 0 where kept, −∞ where masked, to add to the scores.</summary>
    public static Tensor ToAdditive(Tensor keep, ScalarType dtype = ScalarType.Float32)
    {
        using var scope = NewDisposeScope();
        return zeros(keep.shape, dtype: dtype, device: keep.device).masked_fill(keep.logical_not(), double.NegativeInfinity).MoveToOuterDisposeScope();
    }
}
