using static TorchSharp.torch;

namespace TransformersBook.Pruning;

/// <summary>
/// Unstructured pruning masks from scores: 1 keeps a weight, 0 removes it. In each comparison group of n weights the
/// ⌊s·n⌋ lowest-scoring are removed, so the sparsity is exact (ties are broken by position, never by removing more).
/// </summary>
public static class PruningMask
{
    /// <summary>How many of <paramref name="count"/> weights a sparsity removes: ⌊s·n⌋ (with a tolerance for s·n that floating point puts just below an integer).</summary>
    /// <param name="count">Weights in the comparison group.</param>
    /// <param name="sparsity">The fraction to remove, in [0, 1].</param>
    public static long Removed(long count, double sparsity)
    {
        if (sparsity < 0 || sparsity > 1) throw new ArgumentOutOfRangeException(nameof(sparsity), sparsity, "sparsity must be in [0, 1].");
        return (long)Math.Floor(sparsity * count + 1e-9);
    }

    /// <summary>
    /// The mask that removes the lowest <paramref name="scores"/>: ⌊s·n⌋ of all n entries (per layer) or of each row's
    /// n entries (per row). Same shape and dtype as the scores (float32 for integer scores).
    /// </summary>
    /// <param name="scores">(rows, columns) importance scores; higher is kept.</param>
    /// <param name="sparsity">The fraction to remove, in [0, 1].</param>
    /// <param name="group">Whether the matrix or each row is the comparison group.</param>
    public static Tensor LowestScores(Tensor scores, double sparsity, PruningGroup group)
    {
        ArgumentNullException.ThrowIfNull(scores);
        if (scores.dim() != 2) throw new ArgumentException("scores must be a (rows, columns) matrix.", nameof(scores));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var s = scores.detach().to_type(ScalarType.Float32);
        Tensor mask;
        if (group == PruningGroup.Row)
        {
            long removed = Removed(s.shape[1], sparsity);
            mask = ones_like(s);
            if (removed > 0)
                mask = mask.scatter(1, s.topk((int)removed, dim: 1, largest: false).indexes, zeros_like(s));
        }
        else
        {
            var flat = s.reshape(-1);
            long removed = Removed(flat.shape[0], sparsity);
            var kept = ones_like(flat);
            if (removed > 0)
                kept = kept.scatter(0, flat.topk((int)removed, dim: 0, largest: false).indexes, zeros_like(flat));
            mask = kept.view(s.shape);
        }
        return mask.MoveToOuterDisposeScope();
    }

    /// <summary>The fraction of zeros in a mask (or of exact zeros in a weight matrix).</summary>
    /// <param name="maskOrWeight">Any tensor.</param>
    public static double Sparsity(Tensor maskOrWeight)
    {
        ArgumentNullException.ThrowIfNull(maskOrWeight);
        using var scope = NewDisposeScope();
        return (maskOrWeight == 0).sum().item<long>() / (double)maskOrWeight.numel();
    }
}
