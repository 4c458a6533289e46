using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TransformersBook.Blocks;

/// <summary>
/// A feed-forward sublayer built on a gated linear unit (Dauphin et al., 2017), as in "GLU Variants Improve
/// Transformer" (Shazeer, 2020): FFN(x) = W₂ (φ(W x) ⊙ V x), one projection gating the other elementwise. SwiGLU
/// takes φ = Swish (SiLU), GeGLU φ = GELU. With three matrices instead of two, a hidden width of 8d/3 rather than 4d
/// keeps the parameter count of the dense FFN (<see cref="FeedForwardVariants.HiddenSize"/>). No biases by default,
/// following Shazeer and LLaMA.
/// </summary>
public sealed class GatedFeedForward : nn.Module<Tensor, Tensor>, IFeedForward
{
    readonly Linear gate;
    readonly Linear up;
    readonly Linear down;
    readonly nn.Module<Tensor, Tensor> activation;
    readonly Dropout dropout;

    /// <param name="width">The model width d.</param>
    /// <param name="hidden">The hidden width of both projections.</param>
    /// <param name="kind"><see cref="FeedForwardKind.SwiGlu"/> or <see cref="FeedForwardKind.GeGlu"/>.</param>
    /// <param name="dropout">Dropout on the output.</param>
    /// <param name="bias">Whether the three linear layers have biases.</param>
    public GatedFeedForward(int width, int hidden, FeedForwardKind kind = FeedForwardKind.SwiGlu, double dropout = 0.0, bool bias = false)
        : base(nameof(GatedFeedForward))
    {
        activation = kind switch
        {
            FeedForwardKind.SwiGlu => nn.SiLU(),
            FeedForwardKind.GeGlu => nn.GELU(),
            _ => throw new ArgumentException($"{kind} is not gated: use {nameof(FeedForward)}.", nameof(kind)),
        };
        Kind = kind;
        gate = nn.Linear(width, hidden, hasBias: bias);
        up = nn.Linear(width, hidden, hasBias: bias);
        down = nn.Linear(hidden, width, hasBias: bias);
        this.dropout = nn.Dropout(dropout);
        RegisterComponents();
    }

    public FeedForwardKind Kind { get; }

    /// <summary>W: the projection passed through the activation.</summary>
    public Linear Gate => gate;

    /// <summary>V: the projection the gate multiplies.</summary>
    public Linear Up => up;

    /// <summary>W₂: the projection back onto the residual stream.</summary>
    public Linear OutputProjection => down;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var hidden = activation.forward(gate.forward(x)) * up.forward(x);
        return dropout.forward(down.forward(hidden)).MoveToOuterDisposeScope();
    }
}
