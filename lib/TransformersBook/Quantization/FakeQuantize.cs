using static TorchSharp.torch;

namespace TransformersBook.Quantization;

/// <summary>
/// Fake quantization for quantization-aware training: the forward pass computes with quantized values (still
/// floats), the backward pass uses the straight-through estimator (Bengio et al., 2013), which treats rounding as the
/// identity, so gradients reach the full-precision weights the optimizer updates. Written x + (q(x) − x).detach():
/// the value is q(x), the gradient that of x.
/// </summary>
public static class FakeQuantize
{
    /// <summary>The value of <paramref name="quantized"/> with the gradient of <paramref name="x"/> (the identity).</summary>
    /// <param name="x">The full-precision tensor gradients should reach.</param>
    /// <param name="quantized">Its quantized version, same shape.</param>
    public static Tensor StraightThrough(Tensor x, Tensor quantized)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(quantized);
        return x + (quantized - x).detach();
    }

    /// <summary>
    /// Symmetric fake quantization with a fixed scale: clamp x to ±(2^(b−1) − 1)·s, round to the grid, and pass the
    /// gradient straight through inside the clip range (1 there, 0 outside, where clamping already stops it).
    /// </summary>
    /// <param name="x">The tensor to fake-quantize.</param>
    /// <param name="scale">The grid step s.</param>
    /// <param name="bits">Bits per code.</param>
    public static Tensor Symmetric(Tensor x, double scale, int bits)
    {
        ArgumentNullException.ThrowIfNull(x);
        double limit = ((1 << (bits - 1)) - 1) * scale;
        var clipped = x.clamp(-limit, limit);
        return StraightThrough(clipped, (clipped / scale).round() * scale);
    }

    /// <summary>Group-wise zero-point fake quantization of a weight matrix (<see cref="GroupQuantizer"/>) with the straight-through gradient.</summary>
    /// <param name="weight">(out, in) weights.</param>
    /// <param name="bits">Bits per code.</param>
    /// <param name="groupSize">Columns per group, or null for one grid per row.</param>
    public static Tensor Weights(Tensor weight, int bits, int? groupSize)
    {
        ArgumentNullException.ThrowIfNull(weight);
        Tensor quantized;
        using (no_grad()) quantized = GroupQuantizer.RoundTrip(weight, bits, groupSize);
        return StraightThrough(weight, quantized);
    }
}
