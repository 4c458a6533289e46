using TorchSharp;
using static TorchSharp.torch;

namespace TransformersBook.Attention;

/// <summary>
/// Softmax along the last dimension that ignores masked-out entries, computed the numerically stable way:
/// softmax(s)ᵢ = exp(sᵢ − max s) / Σⱼ exp(sⱼ − max s). Subtracting the row maximum changes nothing mathematically but
/// keeps exp from overflowing (exp(89) is already infinite in float32). A row in which every entry is masked — a
/// padding query, or a query with nothing it may attend to — gets all-zero weights instead of the NaN that 0/0 gives.
/// </summary>
public static class MaskedSoftmax
{
    /// <summary>Weights over the last dimension of <paramref name="scores"/>; entries that are −∞ count as masked.</summary>
    /// <param name="scores">Any shape (..., keys), floating point.</param>
    /// <param name="keep">Boolean, broadcastable to <paramref name="scores"/>: true where the entry takes part.</param>
    /// <returns>The shape of <paramref name="scores"/>; every row sums to 1, or to 0 where the whole row is masked.</returns>
    public static Tensor Softmax(Tensor scores, Tensor? keep = null)
    {
        if (keep is not null && keep.dtype != ScalarType.Bool)
            throw new ArgumentException($"the keep mask must be boolean (true = keep), not {keep.dtype}.", nameof(keep));
        using var scope = NewDisposeScope();
        var masked = keep is null ? scores : scores.masked_fill(keep.logical_not(), double.NegativeInfinity);
        var rowMax = masked.amax(new long[] { -1 }, keepdim: true);
        // In a fully masked row the maximum is −∞ and (−∞) − (−∞) is NaN; shifting such rows by 0 leaves exp(−∞) = 0.
        rowMax = where(rowMax.isfinite(), rowMax, zeros_like(rowMax)).detach();
        var exponentials = (masked - rowMax).exp();
        var sums = exponentials.sum(-1, keepdim: true);
        // An unmasked row sums to at least exp(0) = 1, so only fully masked rows have 0 here: divide those by 1.
        sums = where(sums == 0, ones_like(sums), sums);
        return (exponentials / sums).MoveToOuterDisposeScope();
    }
}
