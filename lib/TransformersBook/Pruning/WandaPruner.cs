using static TorchSharp.torch;

namespace TransformersBook.Pruning;

/// <summary>
/// Wanda, pruning by weights and activations (Sun et al., 2023): weight W_ij of a linear layer y = Wx scores
/// |W_ij|·‖X_j‖₂, where ‖X_j‖₂ is the norm of input feature j over all calibration tokens, and the lowest scores of
/// every output row are removed. No weight update and no second-order information: one forward pass to collect the
/// norms, then a sort per row.
/// </summary>
public static class WandaPruner
{
    /// <summary>‖X_j‖₂ for every input feature j: the square root of the sum of squares over the tokens.</summary>
    /// <param name="inputs">(tokens, in) calibration inputs of the layer.</param>
    public static Tensor InputNorms(Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.dim() != 2) throw new ArgumentException("inputs must be (tokens, in).", nameof(inputs));
        using var scope = NewDisposeScope();
        var x = inputs.detach().to_type(ScalarType.Float32);
        return x.pow(2).sum(dim: 0).sqrt().MoveToOuterDisposeScope();
    }

    /// <summary>The scores |W_ij|·‖X_j‖₂.</summary>
    /// <param name="weight">(out, in) weight matrix.</param>
    /// <param name="inputNorms">(in) norms from <see cref="InputNorms"/>.</param>
    public static Tensor Scores(Tensor weight, Tensor inputNorms)
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(inputNorms);
        if (inputNorms.shape[0] != weight.shape[1])
            throw new ArgumentException($"{inputNorms.shape[0]} input norms for a matrix with {weight.shape[1]} inputs.", nameof(inputNorms));
        using var scope = NewDisposeScope();
        return (weight.detach().abs() * inputNorms.to_type(weight.dtype).unsqueeze(0)).MoveToOuterDisposeScope();
    }

    /// <summary>The Wanda mask: the fraction <paramref name="sparsity"/> of lowest scores removed in every output row (or per layer, for comparison).</summary>
    /// <param name="weight">(out, in) weight matrix.</param>
    /// <param name="inputs">(tokens, in) calibration inputs of the layer.</param>
    /// <param name="sparsity">The fraction to remove, in [0, 1].</param>
    /// <param name="group">The comparison group; per row is Wanda's.</param>
    public static Tensor Mask(Tensor weight, Tensor inputs, double sparsity, PruningGroup group = PruningGroup.Row)
    {
        using var scope = NewDisposeScope();
        return PruningMask.LowestScores(Scores(weight, InputNorms(inputs)), sparsity, group).MoveToOuterDisposeScope();
    }
}
