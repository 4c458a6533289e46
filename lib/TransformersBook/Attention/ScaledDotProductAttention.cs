using TorchSharp;
using static TorchSharp.torch;

namespace TransformersBook.Attention;

/// <summary>
/// Scaled dot-product attention of Vaswani et al. (2017), written out: Attention(Q, K, V) = softmax(QKᵀ/√d_k + M)V.
/// Dividing by √d_k keeps the scores' variance near 1 whatever the head size (a dot product of d_k unit-variance terms
/// has variance d_k), so the softmax does not saturate and its gradients do not vanish. TorchSharp's fused
/// <c>scaled_dot_product_attention</c> computes the same output without returning the weights; this version returns them
/// for plotting and for teaching.
/// </summary>
public static class ScaledDotProductAttention
{
    /// <summary>Attention outputs and the weights that made them.</summary>
    /// <param name="query">(..., queries, d_k)</param>
    /// <param name="key">(..., keys, d_k)</param>
    /// <param name="value">(..., keys, d_v)</param>
    /// <param name="mask">Boolean (true = may attend) or additive (0 or −∞, added to the scores); broadcastable to
    /// (..., queries, keys).</param>
    /// <param name="causal">Also forbid query i to see keys after i (the lower-left triangle of queries × keys, as
    /// PyTorch's is_causal).</param>
    /// <param name="dropout">Probability of zeroing each weight before it is applied to the values (the weights
    /// returned are those before dropout).</param>
    /// <param name="generator">Random numbers for dropout.</param>
    /// <returns>Output (..., queries, d_v) and weights (..., queries, keys); fully masked queries get zero weights and
    /// zero output.</returns>
    public static (Tensor Output, Tensor Weights) Compute(
        Tensor query, Tensor key, Tensor value, Tensor? mask = null, bool causal = false, double dropout = 0.0, Generator? generator = null)
    {
        if (dropout < 0 || dropout > 1) throw new ArgumentOutOfRangeException(nameof(dropout), "dropout is a probability.");
        using var scope = NewDisposeScope();
        long queries = query.shape[^2], keys = key.shape[^2];
        var scores = matmul(query, key.transpose(-2, -1)) / Math.Sqrt(query.shape[^1]);
        Tensor? keep = null;
        if (mask is not null)
        {
            if (mask.dtype == ScalarType.Bool) keep = mask;
            else scores = scores + mask;
        }
        if (causal)
        {
            var lowerLeft = ones(queries, keys, dtype: ScalarType.Bool, device: query.device).tril();
            keep = keep is null ? lowerLeft : keep.logical_and(lowerLeft);
        }
        var weights = MaskedSoftmax.Softmax(scores, keep);
        var applied = weights;
        if (dropout > 0)
        {
            // Inverted dropout: survivors are scaled by 1/(1 − p) so the expected output is unchanged.
            var survive = rand(weights.shape, generator: generator, device: weights.device) >= dropout;
            applied = dropout >= 1 ? zeros_like(weights) : weights * survive / (1 - dropout);
        }
        var output = matmul(applied, value);
        return (output.MoveToOuterDisposeScope(), weights.MoveToOuterDisposeScope());
    }
}
