using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TransformersBook.Blocks;

/// <summary>
/// The position-wise feed-forward network of Vaswani et al. (2017), FFN(x) = W₂ φ(W₁x + b₁) + b₂, with the
/// hidden layer four times the model width and φ = GELU as in GPT-2 (Hendrycks and Gimpel, 2016), or ReLU as in the
/// original transformer. The gated variants are <see cref="GatedFeedForward"/>; <see cref="FeedForwardVariants"/> makes either.
/// </summary>
public sealed class FeedForward : nn.Module<Tensor, Tensor>, IFeedForward
{
    readonly Linear up;
    readonly Linear down;
    readonly nn.Module<Tensor, Tensor> activation;
    readonly Dropout dropout;

    /// <param name="width">The model width d.</param>
    /// <param name="hidden">The hidden width (4d in the paper).</param>
    /// <param name="dropout">Dropout on the output.</param>
    /// <param name="bias">Whether the two linear layers have biases.</param>
    /// <param name="kind"><see cref="FeedForwardKind.Gelu"/> or <see cref="FeedForwardKind.Relu"/>.</param>
    public FeedForward(int width, int hidden, double dropout = 0.0, bool bias = true, FeedForwardKind kind = FeedForwardKind.Gelu)
        : base(nameof(FeedForward))
    {
        activation = kind switch
        {
            FeedForwardKind.Gelu => nn.GELU(),
            FeedForwardKind.Relu => nn.ReLU(),
            _ => throw new ArgumentException($"{kind} is gated: use {nameof(GatedFeedForward)}.", nameof(kind)),
        };
        Kind = kind;
        up = nn.Linear(width, hidden, hasBias: bias);
        down = nn.Linear(hidden, width, hasBias: bias);
        this.dropout = nn.Dropout(dropout);
        RegisterComponents();
    }

    public FeedForwardKind Kind { get; }

    /// <summary>The projection back onto the residual stream.</summary>
    public Linear OutputProjection => down;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return dropout.forward(down.forward(activation.forward(up.forward(x)))).MoveToOuterDisposeScope();
    }
}
