using static TorchSharp.torch;

namespace TransformersBook.Quantization;

/// <summary>
/// LLM.int8()'s mixed-precision decomposition (Dettmers et al., 2022): a product XWᵀ is split by input feature. The
/// few feature dimensions in which some activation reaches the threshold (6 in the paper) are multiplied in floating
/// point; all others in int8, with absmax activations and per-output-channel absmax weights. A handful of huge
/// features then no longer stretch the activations' scale and flatten every other feature onto a few codes.
/// </summary>
public static class OutlierDecomposition
{
    /// <summary>The input features (columns of X) in which some |x| reaches <paramref name="threshold"/>: a boolean (in) mask.</summary>
    /// <param name="inputs">(n, in) activations.</param>
    /// <param name="threshold">The magnitude that makes a feature an outlier.</param>
    public static Tensor OutlierFeatures(Tensor inputs, double threshold)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return inputs.abs().amax(new long[] { 0 }) >= threshold;
    }

    /// <summary>
    /// XWᵀ in int8: X quantized absmax with one scale for the whole tensor, W per output channel; the product of the
    /// integer codes is exact in float for widths up to 1,040 (127² · 1,040 &lt; 2²⁴) and rescaled by s_X · s_W.
    /// </summary>
    /// <param name="inputs">(n, in) activations.</param>
    /// <param name="weight">(out, in) weights.</param>
    public static Tensor Int8MatMul(Tensor inputs, Tensor weight)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(weight);
        using var scope = NewDisposeScope();
        var x = AbsmaxQuantizer.Quantize(inputs, 8, perChannel: false);
        var w = AbsmaxQuantizer.Quantize(weight, 8, perChannel: true);
        return (x.Codes.matmul(w.Codes.t()) * x.Scale * w.Scale.t()).MoveToOuterDisposeScope();
    }

    /// <summary>XWᵀ with the outlier features in floating point and the rest through <see cref="Int8MatMul"/>.</summary>
    /// <param name="inputs">(n, in) activations.</param>
    /// <param name="weight">(out, in) weights.</param>
    /// <param name="threshold">The magnitude that makes a feature an outlier (6 in LLM.int8()).</param>
    public static Tensor MatMul(Tensor inputs, Tensor weight, double threshold = 6.0)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(weight);
        using var scope = NewDisposeScope();
        var outliers = OutlierFeatures(inputs, threshold);
        var regular = outliers.logical_not();
        var floatPart = inputs.masked_fill(regular.unsqueeze(0), 0).matmul(weight.masked_fill(regular.unsqueeze(0), 0).t());
        var intPart = Int8MatMul(inputs.masked_fill(outliers.unsqueeze(0), 0), weight.masked_fill(outliers.unsqueeze(0), 0));
        return (floatPart + intPart).MoveToOuterDisposeScope();
    }
}
