using static TorchSharp.torch;

namespace TransformersBook.Quantization;

/// <summary>
/// 4-bit NormalFloat (NF4) quantization (Dettmers et al., 2023, QLoRA). The 16 levels are quantiles of the standard
/// normal distribution N(0, 1), rescaled to [−1, 1]: if a block's weights are normal, every code is used about equally
/// often. The type is asymmetric so that 0 is exact: 8 positive levels, 7 negative ones and 0. A tensor is cut into
/// blocks of <c>blockSize</c> consecutive numbers (64 in the paper); each block is divided by its absolute maximum
/// (absmax) and every number is replaced by the index of the nearest level. With double quantization the fp32 absmax
/// constants are themselves quantized: their mean is subtracted and the rest is stored as 8-bit absmax codes with one
/// fp32 scale per <c>scaleBlockSize</c> constants (256 in the paper). Without it NF4 costs 4 + 32/64 = 4.5 bits per
/// parameter; with it 4 + 8/64 + 32/(64·256) ≈ 4.127.
/// </summary>
public static class NormalFloat4
{
    /// <summary>
    /// The outermost probability, 1 − δ with δ = ½(1/32 + 1/30) ≈ 0.0322917 (Dettmers et al., 2023): the quantile
    /// function is infinite at 0 and 1, so the extreme levels are taken a little inside. bitsandbytes'
    /// <c>create_normal_map</c> uses 0.9677083 as its default.
    /// </summary>
    public const double Offset = 0.9677083;

    /// <summary>
    /// The published NF4 levels, as hard-coded by bitsandbytes in <c>get_4bit_type("nf4")</c>
    /// (bitsandbytes/functional.py, generated there by <c>create_normal_map(offset=0.9677083, use_extra_value=True)</c>).
    /// </summary>
    public static IReadOnlyList<double> Levels { get; } = new[]
    {
        -1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453, -0.28444138169288635,
        -0.18477343022823334, -0.09105003625154495, 0.0, 0.07958029955625534, 0.16093020141124725,
        0.24611230194568634, 0.33791524171829224, 0.44070982933044434, 0.5626170039176941, 0.7229568362236023, 1.0,
    };

    /// <summary>
    /// The 16 levels recomputed from the quantile construction: Φ⁻¹ at 9 evenly spaced probabilities from
    /// <paramref name="offset"/> down to ½ (the last, Φ⁻¹(½) = 0, dropped) gives 8 positive levels; the negatives of
    /// Φ⁻¹ at 8 evenly spaced probabilities from <paramref name="offset"/> to ½ (again without ½) give 7 negative ones;
    /// with 0 added, sorted and divided by the largest, they lie in [−1, 1]. Computed in float64.
    /// </summary>
    /// <param name="offset">The outermost probability; Φ⁻¹(offset) becomes the level 1.</param>
    public static double[] QuantileLevels(double offset = Offset)
    {
        if (offset is <= 0.5 or >= 1.0) throw new ArgumentOutOfRangeException(nameof(offset), "offset must lie in (0.5, 1).");
        static double[] Probabilities(double offset, int count) =>
            Enumerable.Range(0, count - 1).Select(i => offset + (0.5 - offset) * i / (count - 1)).ToArray();
        using var positive = special.ndtri(tensor(Probabilities(offset, 9), dtype: ScalarType.Float64));
        using var negative = special.ndtri(tensor(Probabilities(offset, 8), dtype: ScalarType.Float64)).neg();
        var values = positive.data<double>().ToArray().Concat(negative.data<double>().ToArray()).Append(0.0).OrderBy(v => v).ToArray();
        double largest = values.Max();
        return values.Select(v => v / largest).ToArray();
    }

    /// <summary>Bits per parameter of NF4 storage: 4 + 32/blockSize, or with double quantization 4 + 8/blockSize + 32/(blockSize·scaleBlockSize).</summary>
    /// <param name="blockSize">Numbers per absmax block.</param>
    /// <param name="doubleQuantization">Whether the absmax constants are stored as 8-bit codes.</param>
    /// <param name="scaleBlockSize">Absmax constants per fp32 second-level scale.</param>
    public static double BitsPerParameter(int blockSize = 64, bool doubleQuantization = false, int scaleBlockSize = 256) =>
        doubleQuantization ? 4 + 8.0 / blockSize + 32.0 / (blockSize * scaleBlockSize) : 4 + 32.0 / blockSize;

    /// <summary>Quantizes <paramref name="x"/> to NF4 codes, two per byte, with one absmax per block.</summary>
    /// <param name="x">A float tensor whose number of elements is a multiple of <paramref name="blockSize"/>.</param>
    /// <param name="blockSize">Consecutive numbers (in row-major order) sharing one absmax; even.</param>
    /// <param name="doubleQuantization">Store the absmax constants as 8-bit codes (mean removed, fp32 scale per <paramref name="scaleBlockSize"/>).</param>
    /// <param name="scaleBlockSize">Absmax constants per second-level scale.</param>
    public static NormalFloat4Tensor Quantize(Tensor x, int blockSize = 64, bool doubleQuantization = false, int scaleBlockSize = 256)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (blockSize < 2 || blockSize % 2 != 0) throw new ArgumentOutOfRangeException(nameof(blockSize), "the block size must be even.");
        if (x.numel() % blockSize != 0)
            throw new ArgumentException($"{x.numel()} numbers do not split into blocks of {blockSize}.", nameof(x));
        ArgumentOutOfRangeException.ThrowIfLessThan(scaleBlockSize, 1);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var blocks = x.detach().to_type(ScalarType.Float32).reshape(-1, blockSize);
        var absmax = blocks.abs().amax(new long[] { 1 });
        // An all-zero block gets absmax 1: its codes are the level 0 either way.
        var divisor = where(absmax > 0, absmax, ones_like(absmax)).unsqueeze(1);
        var levels = LevelTensor(x.device);
        var codes = (blocks / divisor).unsqueeze(-1).sub(levels).abs().argmin(-1).reshape(-1, 2);
        var packed = (codes.select(1, 0) * 16 + codes.select(1, 1)).to_type(ScalarType.Byte);
        long[] shape = x.shape;
        if (!doubleQuantization)
            return new NormalFloat4Tensor(packed.MoveToOuterDisposeScope(), absmax.MoveToOuterDisposeScope(), null, null, null, shape, blockSize, scaleBlockSize);

        var offset = absmax.mean();
        var centered = absmax - offset;
        long count = centered.shape[0], groups = (count + scaleBlockSize - 1) / scaleBlockSize;
        var padded = nn.functional.pad(centered, new long[] { 0, groups * scaleBlockSize - count }).reshape(groups, scaleBlockSize);
        var range = padded.abs().amax(new long[] { 1 });
        var scale = where(range > 0, range / 127.0, ones_like(range));
        var quantized = (padded / scale.unsqueeze(1)).round().clamp(-127, 127).reshape(-1).narrow(0, 0, count).to_type(ScalarType.Int8);
        return new NormalFloat4Tensor(packed.MoveToOuterDisposeScope(), null, quantized.MoveToOuterDisposeScope(),
            scale.MoveToOuterDisposeScope(), offset.MoveToOuterDisposeScope(), shape, blockSize, scaleBlockSize);
    }

    /// <summary>Quantizes and dequantizes: the tensor a model computes with after NF4.</summary>
    /// <param name="x">A float tensor whose number of elements is a multiple of <paramref name="blockSize"/>.</param>
    /// <param name="blockSize">Numbers per absmax block.</param>
    /// <param name="doubleQuantization">Whether the absmax constants are stored as 8-bit codes.</param>
    public static Tensor RoundTrip(Tensor x, int blockSize = 64, bool doubleQuantization = false)
    {
        using var quantized = Quantize(x, blockSize, doubleQuantization);
        return quantized.Dequantize();
    }

    /// <summary>The 16 levels as a float32 tensor on <paramref name="device"/>.</summary>
    internal static Tensor LevelTensor(Device device) =>
        tensor(Levels.Select(v => (float)v).ToArray(), dtype: ScalarType.Float32, device: device);
}
