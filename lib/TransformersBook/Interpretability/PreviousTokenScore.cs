using static TorchSharp.torch;

namespace TransformersBook.Interpretability;

/// <summary>
/// How much a head attends to the token just before the query: the mean of A[i, i − 1] over positions i ≥ 1. The
/// first half of an induction circuit is such a previous-token head, which copies the previous token into each
/// position's residual stream so that a later head can match on it (Elhage et al., 2021).
/// </summary>
public static class PreviousTokenScore
{
    /// <summary>One score per head.</summary>
    /// <param name="patterns">(batch, heads, time, time) attention weights of one layer.</param>
    public static double[] Compute(Tensor patterns)
    {
        using var scope = NewDisposeScope();
        long time = patterns.shape[^1];
        var previous = patterns.diagonal(offset: -1, dim1: -2, dim2: -1);                  // (B, H, T − 1): A[i + 1, i]
        var perHead = previous.mean(new long[] { 0, 2 });
        return perHead.detach().cpu().to_type(ScalarType.Float64).data<double>().ToArray();
    }
}
