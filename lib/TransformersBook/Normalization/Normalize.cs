using TorchSharp;
using static TorchSharp.torch;

namespace TransformersBook.Normalization;

/// <summary>
/// Normalization over the last dimension written out from the definitions, for chapters to compare against
/// TorchSharp's fused nn.LayerNorm (which the library's models use) and against the ILGPU kernels.
/// </summary>
public static class Normalize
{
    /// <summary>
    /// Layer normalization (Ba, Kiros and Hinton, 2016): y = (x − μ) / √(σ² + ε) · γ + β, with μ and σ² the mean
    /// and the biased variance (divided by n, not n − 1) of the last dimension, as nn.LayerNorm computes them.
    /// </summary>
    /// <param name="x">(…, width)</param>
    /// <param name="gamma">(width) gain γ, or null for 1.</param>
    /// <param name="beta">(width) bias β, or null for 0.</param>
    /// <param name="epsilon">Added to σ² (nn.LayerNorm's default is 1e-5).</param>
    public static Tensor LayerNorm(Tensor x, Tensor? gamma = null, Tensor? beta = null, double epsilon = 1e-5)
    {
        using var scope = NewDisposeScope();
        var mean = x.mean(new long[] { -1 }, keepdim: true);
        var centred = x - mean;
        var variance = (centred * centred).mean(new long[] { -1 }, keepdim: true);
        var y = centred * rsqrt(variance + epsilon);
        if (gamma is not null) y = y * gamma;
        if (beta is not null) y = y + beta;
        return y.MoveToOuterDisposeScope();
    }

    /// <summary>RMS normalization (Zhang and Sennrich, 2019): y = x / √(mean(x²) + ε) · γ over the last dimension.</summary>
    /// <param name="x">(…, width)</param>
    /// <param name="gamma">(width) gain γ, or null for 1.</param>
    /// <param name="epsilon">Added to mean(x²).</param>
    public static Tensor RmsNorm(Tensor x, Tensor? gamma = null, double epsilon = 1e-6)
    {
        using var scope = NewDisposeScope();
        var y = x * rsqrt((x * x).mean(new long[] { -1 }, keepdim: true) + epsilon);
        if (gamma is not null) y = y * gamma;
        return y.MoveToOuterDisposeScope();
    }
}
