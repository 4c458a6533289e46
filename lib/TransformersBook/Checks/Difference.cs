using static TorchSharp.torch;

namespace TransformersBook.Checks;

/// <summary>
/// How far two tensors are apart, for the book's "from scratch = library" checks. One definition, so every chapter
/// reports the same quantity in the same precision.
/// </summary>
public static class Difference
{
    /// <summary>
    /// max |a − b| over all elements (after broadcasting), as a double. The intermediate tensors are freed here, so a
    /// check inside a loop does not leak native memory. NaN anywhere gives NaN, which fails every bound.
    /// </summary>
    /// <param name="a">One tensor.</param>
    /// <param name="b">The other, broadcastable to <paramref name="a"/> and on the same device.</param>
    public static double MaxAbs(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        using var difference = a - b;
        if (difference.numel() == 0) return 0;
        using var magnitude = difference.abs();
        using var largest = magnitude.max();
        using var asDouble = largest.to_type(ScalarType.Float64);
        return asDouble.item<double>();
    }
}
