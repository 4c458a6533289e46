using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TransformersBook.StateSpace;

/// <summary>
/// S4D as a sequence mixer: W_o GELU(SSM(W_i x)), the layout of S4's blocks (Gu et al., 2022) — the linear layers mix
/// the channels, the <see cref="DiagonalStateSpace"/> between them mixes positions with one fixed kernel per channel.
/// Nothing in the kernel depends on the input: the same token at the same distance always counts the same.
/// </summary>
public sealed class DiagonalStateSpaceMixer : nn.Module<Tensor, Tensor>
{
    readonly Linear inputProjection;
    readonly DiagonalStateSpace stateSpace;
    readonly Linear outputProjection;

    /// <param name="width">d, the model width (and the number of SSM channels).</param>
    /// <param name="stateSize">N, states per channel.</param>
    public DiagonalStateSpaceMixer(int width, int stateSize) : base(nameof(DiagonalStateSpaceMixer))
    {
        inputProjection = nn.Linear(width, width);
        // Steps up to 0.5 let some channels forget within a few tokens, others (Δ = 10⁻³) remember the whole sequence.
        stateSpace = new DiagonalStateSpace(width, stateSize, minStep: 1e-3, maxStep: 0.5);
        outputProjection = nn.Linear(width, width);
        RegisterComponents();
    }

    /// <summary>The diagonal state-space layer between the projections.</summary>
    public DiagonalStateSpace StateSpace => stateSpace;

    /// <param name="x">(batch, time, d)</param>
    /// <returns>(batch, time, d)</returns>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = nn.functional.gelu(stateSpace.forward(inputProjection.forward(x)));
        return outputProjection.forward(y).MoveToOuterDisposeScope();
    }
}
