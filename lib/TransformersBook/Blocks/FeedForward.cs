using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TransformersBook.Blocks;

/// <summary>
/// The position-wise feed-forward network of Vaswani et al. (2017), FFN(x) = W₂ φ(W₁x + b₁) + b₂, with the
/// hidden layer four times the model width and φ = GELU as in GPT-2 (Hendrycks and Gimpel, 2016).
/// </summary>
public sealed class FeedForward : nn.Module<Tensor, Tensor>
{
    readonly Linear up;
    readonly Linear down;
    readonly GELU activation;
    readonly Dropout dropout;

    public FeedForward(int width, int hidden, double dropout = 0.0, bool bias = true) : base(nameof(FeedForward))
    {
        up = nn.Linear(width, hidden, hasBias: bias);
        down = nn.Linear(hidden, width, hasBias: bias);
        activation = nn.GELU();
        this.dropout = nn.Dropout(dropout);
        RegisterComponents();
    }

    /// <summary>The projection back onto the residual stream.</summary>
    public Linear OutputProjection => down;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return dropout.forward(down.forward(activation.forward(up.forward(x)))).MoveToOuterDisposeScope();
    }
}
