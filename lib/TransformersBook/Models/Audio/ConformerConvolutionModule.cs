using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TransformersBook.Models;

/// <summary>
/// The convolution module of the Conformer (Gulati et al., 2020), which gives an attention block a local view:
/// LayerNorm, a pointwise convolution to 2d channels, a GLU (the first half gated by the sigmoid of the second), a
/// depthwise convolution along time (one filter of width k per channel, zero-padded to keep the length), BatchNorm,
/// Swish (x·σ(x)), and a pointwise convolution back to d. The residual sum is the caller's: x + module(x).
/// </summary>
public sealed class ConformerConvolutionModule : nn.Module<Tensor, Tensor>
{
    readonly LayerNorm norm;
    readonly Linear pointwiseIn;
    readonly Conv1d depthwise;
    readonly BatchNorm1d batchNorm;
    readonly Linear pointwiseOut;
    readonly Dropout dropout;

    /// <param name="width">d, the channels in and out.</param>
    /// <param name="kernelSize">k, the depthwise filter's width in frames (odd, so that the output stays centred).</param>
    /// <param name="dropout">Dropout on the module's output.</param>
    public ConformerConvolutionModule(int width, int kernelSize, double dropout = 0.0) : base(nameof(ConformerConvolutionModule))
    {
        if (kernelSize % 2 == 0) throw new ArgumentException($"The depthwise kernel size {kernelSize} must be odd.", nameof(kernelSize));
        Width = width;
        KernelSize = kernelSize;
        norm = nn.LayerNorm(width);
        pointwiseIn = nn.Linear(width, 2 * width);      // a 1×1 convolution is a linear map at every frame
        depthwise = nn.Conv1d(width, width, kernelSize, padding: kernelSize / 2, groups: width);
        batchNorm = nn.BatchNorm1d(width);
        pointwiseOut = nn.Linear(width, width);
        this.dropout = nn.Dropout(dropout);
        RegisterComponents();
    }

    /// <summary>d.</summary>
    public int Width { get; }

    /// <summary>k.</summary>
    public int KernelSize { get; }

    /// <param name="x">(batch, time, d)</param>
    /// <returns>(batch, time, d), without the residual.</returns>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = nn.functional.glu(pointwiseIn.forward(norm.forward(x)), dim: -1);     // (B, T, d)
        h = depthwise.forward(h.transpose(1, 2));                                      // (B, d, T)
        h = nn.functional.silu(batchNorm.forward(h)).transpose(1, 2);
        return dropout.forward(pointwiseOut.forward(h)).MoveToOuterDisposeScope();
    }
}
