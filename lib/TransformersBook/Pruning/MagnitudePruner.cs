using static TorchSharp.torch;

namespace TransformersBook.Pruning;

/// <summary>
/// Magnitude pruning (Han et al., 2015): a weight's importance is |W_ij|, and the smallest are removed. It looks at
/// the weights only, never at the data the layer sees.
/// </summary>
public static class MagnitudePruner
{
    /// <summary>The scores |W|.</summary>
    /// <param name="weight">(out, in) weight matrix.</param>
    public static Tensor Scores(Tensor weight)
    {
        ArgumentNullException.ThrowIfNull(weight);
        return weight.detach().abs();
    }

    /// <summary>The mask that removes the fraction <paramref name="sparsity"/> of smallest |W_ij|, per layer or per row.</summary>
    /// <param name="weight">(out, in) weight matrix.</param>
    /// <param name="sparsity">The fraction to remove, in [0, 1].</param>
    /// <param name="group">The comparison group: the whole matrix (the usual baseline) or each output row.</param>
    public static Tensor Mask(Tensor weight, double sparsity, PruningGroup group = PruningGroup.Layer)
    {
        using var scope = NewDisposeScope();
        return PruningMask.LowestScores(Scores(weight), sparsity, group).MoveToOuterDisposeScope();
    }
}
