using static TorchSharp.torch;

namespace TransformersBook.Quantization;

/// <summary>
/// Asymmetric ("zero-point", min–max) quantization onto the unsigned codes 0 … 2^b − 1. The range [min, max] is
/// first widened to contain 0, so that 0 is exactly representable; then s = (max − min) / (2^b − 1),
/// z = round(−min / s) and q = clamp(round(x / s) + z, 0, 2^b − 1), x ≈ (q − z)·s. A range that is not centred on
/// 0 (the output of a ReLU, a skewed weight row) uses all the codes, where absmax would waste up to half of them.
/// </summary>
public static class ZeroPointQuantizer
{
    /// <summary>Quantizes <paramref name="x"/> to <paramref name="bits"/>-bit unsigned codes with a zero point.</summary>
    /// <param name="x">A tensor; with <paramref name="perChannel"/> its first dimension indexes the channels.</param>
    /// <param name="bits">Bits per code, 2 to 16.</param>
    /// <param name="perChannel">One scale and zero point per row (index of dimension 0) instead of one for the tensor.</param>
    public static QuantizedTensor Quantize(Tensor x, int bits = 8, bool perChannel = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (bits is < 2 or > 16) throw new ArgumentOutOfRangeException(nameof(bits), "bits must be 2 to 16.");
        using var scope = NewDisposeScope();
        var low = (perChannel ? AbsmaxQuantizer.Reduce(x, max: false) : x.min()).clamp_max(0);
        var high = (perChannel ? AbsmaxQuantizer.Reduce(x, max: true) : x.max()).clamp_min(0);
        var (scale, zero) = Grid(low, high, bits);
        var codes = Codes(x, scale, zero, bits);
        return new QuantizedTensor(codes.MoveToOuterDisposeScope(), scale.MoveToOuterDisposeScope(), zero.MoveToOuterDisposeScope(), bits);
    }

    /// <summary>Quantizes and dequantizes: the tensor the model computes with after quantization.</summary>
    /// <param name="x">A tensor; with <paramref name="perChannel"/> its first dimension indexes the channels.</param>
    /// <param name="bits">Bits per code.</param>
    /// <param name="perChannel">One scale and zero point per row instead of one for the tensor.</param>
    public static Tensor RoundTrip(Tensor x, int bits = 8, bool perChannel = false)
    {
        using var scope = NewDisposeScope();
        return Quantize(x, bits, perChannel).Dequantize().MoveToOuterDisposeScope();
    }

    /// <summary>The scale and zero point of the range [low, high] (which must contain 0) at <paramref name="bits"/> bits; an empty range gets scale 1.</summary>
    /// <param name="low">The smallest value to represent, ≤ 0.</param>
    /// <param name="high">The largest value to represent, ≥ 0.</param>
    /// <param name="bits">Bits per code.</param>
    public static (Tensor Scale, Tensor ZeroPoint) Grid(Tensor low, Tensor high, int bits)
    {
        ArgumentNullException.ThrowIfNull(low);
        ArgumentNullException.ThrowIfNull(high);
        double largestCode = (1 << bits) - 1;
        var range = high - low;
        var scale = where(range > 0, range / largestCode, ones_like(range));
        var zero = (-low / scale).round();
        return (scale, zero);
    }

    /// <summary>q = clamp(round(x / s) + z, 0, 2^b − 1) on a given grid.</summary>
    /// <param name="x">Values to quantize.</param>
    /// <param name="scale">s, broadcastable against <paramref name="x"/>.</param>
    /// <param name="zeroPoint">z, broadcastable against <paramref name="x"/>.</param>
    /// <param name="bits">Bits per code.</param>
    public static Tensor Codes(Tensor x, Tensor scale, Tensor zeroPoint, int bits) =>
        ((x / scale).round() + zeroPoint).clamp(0, (1 << bits) - 1);
}
