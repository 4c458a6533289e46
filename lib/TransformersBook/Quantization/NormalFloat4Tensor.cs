using static TorchSharp.torch;

namespace TransformersBook.Quantization;

/// <summary>
/// A tensor stored in NF4 (<see cref="NormalFloat4"/>): 4-bit level indices packed two per byte, and one absmax per
/// block, either as fp32 numbers (<see cref="BlockAbsmax"/>) or double-quantized (<see cref="QuantizedAbsmax"/> int8
/// codes, times one fp32 <see cref="AbsmaxScale"/> per <see cref="ScaleBlockSize"/> constants, plus the fp32
/// <see cref="AbsmaxOffset"/> that was subtracted). Disposing it disposes the stored tensors.
/// </summary>
/// <param name="PackedCodes">uint8, numel / 2: the code of element 2i in the high four bits, of element 2i + 1 in the low four.</param>
/// <param name="BlockAbsmax">fp32 absmax per block, or null when double-quantized.</param>
/// <param name="QuantizedAbsmax">int8 codes of absmax − offset, or null.</param>
/// <param name="AbsmaxScale">fp32 step of those codes, one per <see cref="ScaleBlockSize"/> blocks, or null.</param>
/// <param name="AbsmaxOffset">fp32 mean of the absmax constants, or null.</param>
/// <param name="Shape">The original tensor's shape.</param>
/// <param name="BlockSize">Elements per absmax block.</param>
/// <param name="ScaleBlockSize">Absmax constants per second-level scale.</param>
public sealed record NormalFloat4Tensor(Tensor PackedCodes, Tensor? BlockAbsmax, Tensor? QuantizedAbsmax, Tensor? AbsmaxScale,
    Tensor? AbsmaxOffset, long[] Shape, int BlockSize, int ScaleBlockSize) : IDisposable
{
    /// <summary>Whether the absmax constants are themselves quantized.</summary>
    public bool DoubleQuantized => QuantizedAbsmax is not null;

    /// <summary>Number of elements of the original tensor.</summary>
    public long Count => PackedCodes.numel() * 2;

    /// <summary>The level index (0 … 15) of every element, int64, flat.</summary>
    public Tensor Codes()
    {
        using var scope = NewDisposeScope();
        var bytes = PackedCodes.to_type(ScalarType.Int64);
        return stack(new[] { bytes.div(16, RoundingMode.floor), bytes.remainder(16) }, 1).reshape(-1).MoveToOuterDisposeScope();
    }

    /// <summary>The absmax of every block as fp32 (after the 8-bit round trip when double-quantized).</summary>
    public Tensor Absmax()
    {
        if (BlockAbsmax is not null) return BlockAbsmax.alias();
        using var scope = NewDisposeScope();
        long count = QuantizedAbsmax!.shape[0];
        var scales = AbsmaxScale!.repeat_interleave(ScaleBlockSize).narrow(0, 0, count);
        return (QuantizedAbsmax.to_type(ScalarType.Float32) * scales + AbsmaxOffset!).MoveToOuterDisposeScope();
    }

    /// <summary>The fp32 tensor the codes stand for: level[code] · absmax of the block, in the original shape.</summary>
    public Tensor Dequantize()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var levels = NormalFloat4.LevelTensor(PackedCodes.device);
        var values = levels.index_select(0, Codes()).reshape(-1, BlockSize) * Absmax().unsqueeze(1);
        return values.reshape(Shape).MoveToOuterDisposeScope();
    }

    /// <summary>Bytes of every stored tensor: the packed codes and the absmax constants (with their scales and offset).</summary>
    public long StorageBytes => new[] { PackedCodes, BlockAbsmax, QuantizedAbsmax, AbsmaxScale, AbsmaxOffset }
        .Where(t => t is not null).Sum(t => t!.numel() * t.ElementSize);

    /// <summary>Measured bits per element: 8 · <see cref="StorageBytes"/> / <see cref="Count"/>.</summary>
    public double BitsPerParameter => 8.0 * StorageBytes / Count;

    /// <summary>Disposes the stored tensors.</summary>
    public void Dispose()
    {
        PackedCodes.Dispose();
        BlockAbsmax?.Dispose();
        QuantizedAbsmax?.Dispose();
        AbsmaxScale?.Dispose();
        AbsmaxOffset?.Dispose();
    }
}
