using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TransformersBook.Normalization;

/// <summary>
/// Root mean square layer normalization (Zhang and Sennrich, 2019): y = x / √(mean(x²) + ε) · γ over the last
/// dimension. It drops LayerNorm's centring and bias; the authors found re-scaling, not re-centring, is what
/// stabilises training, and skipping the mean saves time. Used by T5, LLaMA and most recent decoders.
/// </summary>
public sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    readonly Parameter gain;

    /// <param name="width">The size of the last dimension.</param>
    /// <param name="epsilon">Added to mean(x²): keeps an all-zero vector from dividing by zero.</param>
    public RmsNorm(int width, double epsilon = 1e-6) : base(nameof(RmsNorm))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        Epsilon = epsilon;
        gain = nn.Parameter(ones(width));
        RegisterComponents();
    }

    public double Epsilon { get; }

    /// <summary>γ, one gain per feature, initialised to 1.</summary>
    public Parameter Weight => gain;

    public override Tensor forward(Tensor x) => Normalize.RmsNorm(x, gain, Epsilon);
}
