using TorchSharp;
using static TorchSharp.torch;

namespace TransformersBook.Attention;

/// <summary>
/// Dot-product scoring, score(q, k) = qᵀk (Luong et al., 2015's "dot"), optionally divided by √d as in Vaswani et al.
/// (2017). No parameters, one matrix multiplication for all pairs, but queries and keys must have the same size.
/// </summary>
public sealed class DotProductAttention : AttentionScore
{
    readonly bool scaled;

    /// <param name="scaled">Divide by √d, which keeps the scores' variance near 1 for unit-variance inputs.</param>
    public DotProductAttention(bool scaled = true) : base(nameof(DotProductAttention))
    {
        this.scaled = scaled;
        RegisterComponents();
    }

    /// <param name="queries">(batch, queries, d)</param>
    /// <param name="keys">(batch, keys, d)</param>
    /// <returns>Scores (batch, queries, keys).</returns>
    public override Tensor forward(Tensor queries, Tensor keys)
    {
        if (queries.shape[^1] != keys.shape[^1])
            throw new ArgumentException($"dot-product scoring needs queries and keys of one size, not {queries.shape[^1]} and {keys.shape[^1]}.", nameof(keys));
        using var scope = NewDisposeScope();
        var scores = matmul(queries, keys.transpose(-2, -1));
        if (scaled) scores = scores / Math.Sqrt(queries.shape[^1]);
        return scores.MoveToOuterDisposeScope();
    }
}
