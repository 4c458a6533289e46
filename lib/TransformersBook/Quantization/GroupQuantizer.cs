using static TorchSharp.torch;

namespace TransformersBook.Quantization;

/// <summary>
/// Group-wise round-to-nearest (RTN) quantization of a weight matrix (out, in): every run of
/// <c>groupSize</c> consecutive input columns of a row gets its own zero-point grid
/// (<see cref="ZeroPointQuantizer"/>). Smaller groups follow the weights' local range more closely at the price of
/// more scales: at 4 bits and group 128, two 16-bit numbers per 128 weights add 0.25 bits per weight. Without a group
/// size the grid is per output channel (one per row).
/// </summary>
public static class GroupQuantizer
{
    /// <summary>The codes of <paramref name="weight"/>, shaped (out, in / groupSize, groupSize), with one scale and zero point per group.</summary>
    /// <param name="weight">(out, in) weights; in must be a multiple of the group size.</param>
    /// <param name="bits">Bits per code.</param>
    /// <param name="groupSize">Columns per group, or null for one group per row.</param>
    public static QuantizedTensor Quantize(Tensor weight, int bits, int? groupSize)
    {
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.dim() != 2) throw new ArgumentException("expects a (out, in) matrix.", nameof(weight));
        long rows = weight.shape[0], columns = weight.shape[1];
        long group = groupSize ?? columns;
        if (group <= 0 || columns % group != 0)
            throw new ArgumentException($"{columns} input columns do not split into groups of {group}.", nameof(groupSize));
        using var scope = NewDisposeScope();
        var grouped = weight.reshape(rows * (columns / group), group);
        var q = ZeroPointQuantizer.Quantize(grouped, bits, perChannel: true);
        long[] shape = { rows, columns / group, group }, perGroup = { rows, columns / group, 1 };
        return new QuantizedTensor(q.Codes.reshape(shape).MoveToOuterDisposeScope(), q.Scale.reshape(perGroup).MoveToOuterDisposeScope(),
            q.ZeroPoint.reshape(perGroup).MoveToOuterDisposeScope(), bits);
    }

    /// <summary>The (out, in) weights the model computes with after group-wise RTN.</summary>
    /// <param name="weight">(out, in) weights.</param>
    /// <param name="bits">Bits per code.</param>
    /// <param name="groupSize">Columns per group, or null for one group per row.</param>
    public static Tensor RoundTrip(Tensor weight, int bits, int? groupSize)
    {
        ArgumentNullException.ThrowIfNull(weight);
        using var scope = NewDisposeScope();
        return Quantize(weight, bits, groupSize).Dequantize().reshape(weight.shape).MoveToOuterDisposeScope();
    }

    /// <summary>Bits per weight including the scales and zero points, stored as 16-bit numbers: b + 32 / groupSize.</summary>
    /// <param name="bits">Bits per code.</param>
    /// <param name="groupSize">Columns per group.</param>
    public static double BitsPerWeight(int bits, int groupSize) => bits + 32.0 / groupSize;
}
