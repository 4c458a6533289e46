using static TorchSharp.torch;

namespace TransformersBook.Quantization;

/// <summary>
/// Symmetric ("absmax") quantization: s = max|x| / (2^(b−1) − 1), q = round(x / s), clamped to ±(2^(b−1) − 1), so
/// that the largest magnitude lands on the largest code and 0 is exactly representable. At 8 bits the codes are
/// −127 … 127. One scale for the whole tensor, or one per row (per output channel of a weight matrix).
/// </summary>
public static class AbsmaxQuantizer
{
    /// <summary>Quantizes <paramref name="x"/> to <paramref name="bits"/>-bit signed codes.</summary>
    /// <param name="x">A tensor; with <paramref name="perChannel"/> its first dimension indexes the channels.</param>
    /// <param name="bits">Bits per code, 2 to 16.</param>
    /// <param name="perChannel">One scale per row (index of dimension 0) instead of one for the tensor.</param>
    public static QuantizedTensor Quantize(Tensor x, int bits = 8, bool perChannel = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (bits is < 2 or > 16) throw new ArgumentOutOfRangeException(nameof(bits), "bits must be 2 to 16.");
        using var scope = NewDisposeScope();
        double largestCode = (1 << (bits - 1)) - 1;
        var magnitude = perChannel ? Reduce(x.abs(), max: true) : x.abs().max();
        // An all-zero channel gets scale 1: its codes are 0 either way.
        var scale = where(magnitude > 0, magnitude / largestCode, ones_like(magnitude));
        var codes = (x / scale).round().clamp(-largestCode, largestCode);
        return new QuantizedTensor(codes.MoveToOuterDisposeScope(), scale.MoveToOuterDisposeScope(), zeros_like(scale).MoveToOuterDisposeScope(), bits);
    }

    /// <summary>Quantizes and dequantizes: the tensor the model computes with after quantization.</summary>
    /// <param name="x">A tensor; with <paramref name="perChannel"/> its first dimension indexes the channels.</param>
    /// <param name="bits">Bits per code.</param>
    /// <param name="perChannel">One scale per row instead of one for the tensor.</param>
    public static Tensor RoundTrip(Tensor x, int bits = 8, bool perChannel = false)
    {
        using var scope = NewDisposeScope();
        return Quantize(x, bits, perChannel).Dequantize().MoveToOuterDisposeScope();
    }

    /// <summary>The maximum (or minimum) over every dimension but the first, kept as (rows, 1, …) to broadcast.</summary>
    internal static Tensor Reduce(Tensor x, bool max)
    {
        var rows = x.reshape(x.shape[0], -1);
        var reduced = max ? rows.amax(new long[] { 1 }) : rows.amin(new long[] { 1 });
        var shape = new long[x.dim()];
        Array.Fill(shape, 1L);
        shape[0] = x.shape[0];
        return reduced.reshape(shape);
    }
}
