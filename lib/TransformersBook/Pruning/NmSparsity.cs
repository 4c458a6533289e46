using static TorchSharp.torch;

namespace TransformersBook.Pruning;

/// <summary>
/// N:M semi-structured sparsity (Mishra et al., 2021; Pool and Yu, 2021): in every group of M consecutive weights
/// along the input dimension of a row, exactly N are zero. At 2:4 the pattern is the one NVIDIA's sparse tensor cores
/// (Ampere and later) execute at up to twice the dense rate, storing the two survivors and a 2-bit index each.
/// </summary>
public static class NmSparsity
{
    /// <summary>The mask that zeroes the <paramref name="zeros"/> lowest scores in each group of <paramref name="groupSize"/> consecutive columns.</summary>
    /// <param name="scores">(rows, columns) scores, columns divisible by the group size; |W| gives magnitude N:M, Wanda's scores give Wanda N:M.</param>
    /// <param name="zeros">N: zeros per group.</param>
    /// <param name="groupSize">M: consecutive weights per group.</param>
    public static Tensor Mask(Tensor scores, int zeros = 2, int groupSize = 4)
    {
        ArgumentNullException.ThrowIfNull(scores);
        if (scores.dim() != 2 || scores.shape[1] % groupSize != 0)
            throw new ArgumentException($"scores must be (rows, columns) with columns divisible by {groupSize}.", nameof(scores));
        if (zeros < 0 || zeros > groupSize) throw new ArgumentOutOfRangeException(nameof(zeros));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var s = scores.detach().to_type(ScalarType.Float32);
        var groups = s.reshape(s.shape[0], s.shape[1] / groupSize, groupSize);
        var mask = ones_like(groups);
        if (zeros > 0) mask = mask.scatter(2, groups.topk(zeros, dim: 2, largest: false).indexes, zeros_like(groups));
        return mask.view(s.shape).MoveToOuterDisposeScope();
    }

    /// <summary>Whether every group of <paramref name="groupSize"/> consecutive entries of every row holds exactly <paramref name="zeros"/> zeros.</summary>
    /// <param name="maskOrWeight">(rows, columns) mask or pruned weight.</param>
    /// <param name="zeros">N.</param>
    /// <param name="groupSize">M.</param>
    public static bool Holds(Tensor maskOrWeight, int zeros = 2, int groupSize = 4)
    {
        ArgumentNullException.ThrowIfNull(maskOrWeight);
        if (maskOrWeight.dim() != 2 || maskOrWeight.shape[1] % groupSize != 0) return false;
        using var scope = NewDisposeScope();
        var zeroCounts = (maskOrWeight == 0).to_type(ScalarType.Int64).reshape(-1, groupSize).sum(dim: 1);
        return (zeroCounts == zeros).all().item<bool>();
    }
}
