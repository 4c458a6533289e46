using ILGPU;
using ILGPU.Runtime;
using TransformersBook.Quantization;
using static TorchSharp.torch;

namespace TransformersBook.GpuKernels;

/// <summary>
/// The int8 matrix product of W8A8 quantization as one ILGPU kernel: thread (i, j) computes the integer dot product
/// aᵢⱼ = Σₖ xᵢₖ·wⱼₖ of an int8 activation row and an int8 weight row (codes −127 … 127) in an int32 accumulator, then
/// dequantises yᵢⱼ = sₓᵢ·s_wⱼ·aᵢⱼ with one scale per activation row and one per output channel. Every product of two
/// codes fits in 15 bits, so a sum of k of them is exact in int32 for k up to 2³¹ / 127² ≈ 133 000. Layouts are
/// row-major: x (rows, inner), w (cols, inner) as a linear layer stores it, outputs (rows, cols).
/// </summary>
public sealed class Int8MatmulKernel
{
    readonly KernelDevice device;
    readonly Action<Index1D, ArrayView<sbyte>, ArrayView<sbyte>, ArrayView<float>, ArrayView<float>, ArrayView<int>, ArrayView<float>, Int8MatmulShape> perElement;

    /// <param name="device">Where the kernel is compiled and runs.</param>
    public Int8MatmulKernel(KernelDevice device)
    {
        this.device = device;
        perElement = device.Accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<sbyte>, ArrayView<sbyte>, ArrayView<float>, ArrayView<float>, ArrayView<int>, ArrayView<float>, Int8MatmulShape>(MultiplyOne);
    }

    /// <summary>The largest inner dimension whose int32 sums cannot overflow: 2³¹ − 1 over the largest product 127².</summary>
    public const int MaxExactInner = int.MaxValue / (127 * 127);

    /// <summary>Bytes one launch must move at the least: both int8 operands and both scale vectors read once, the int32 accumulators and the float outputs written once.</summary>
    public static long BytesMoved(Int8MatmulShape shape) =>
        (long)shape.Rows * shape.Inner + (long)shape.Cols * shape.Inner
        + sizeof(float) * ((long)shape.Rows + shape.Cols) + (sizeof(int) + sizeof(float)) * (long)shape.Rows * shape.Cols;

    /// <summary>Enqueues the kernel; synchronise before reading the outputs.</summary>
    /// <param name="x">rows × inner int8 activation codes.</param>
    /// <param name="w">cols × inner int8 weight codes, one row per output channel.</param>
    /// <param name="rowScales">One scale per activation row.</param>
    /// <param name="colScales">One scale per output channel.</param>
    /// <param name="accumulators">rows × cols: the exact int32 sums.</param>
    /// <param name="output">rows × cols: the dequantised floats.</param>
    /// <param name="shape">The sizes.</param>
    public void Launch(ArrayView<sbyte> x, ArrayView<sbyte> w, ArrayView<float> rowScales, ArrayView<float> colScales,
        ArrayView<int> accumulators, ArrayView<float> output, Int8MatmulShape shape)
    {
        long outputs = (long)shape.Rows * shape.Cols;
        if (x.Length != (long)shape.Rows * shape.Inner || w.Length != (long)shape.Cols * shape.Inner)
            throw new ArgumentException("x must hold rows × inner codes and w cols × inner codes.");
        if (rowScales.Length != shape.Rows || colScales.Length != shape.Cols)
            throw new ArgumentException("one scale per activation row and one per output channel.");
        if (accumulators.Length != outputs || output.Length != outputs)
            throw new ArgumentException($"the accumulators and the output must hold rows × cols = {outputs} elements.");
        if (shape.Inner > MaxExactInner) throw new ArgumentException($"inner dimension above {MaxExactInner} could overflow int32.");
        perElement((int)outputs, x, w, rowScales, colScales, accumulators, output, shape);
    }

    /// <summary>Copies the operands to the device, runs the kernel and returns the int32 sums and the dequantised output.</summary>
    public Int8MatmulResult Run(sbyte[] x, sbyte[] w, float[] rowScales, float[] colScales, Int8MatmulShape shape)
    {
        using var buffers = new DeviceBuffers(device.Accelerator, x, w, rowScales, colScales, shape);
        Launch(buffers.X.View, buffers.W.View, buffers.RowScales.View, buffers.ColScales.View, buffers.Accumulators.View, buffers.Output.View, shape);
        device.Accelerator.Synchronize();
        return new Int8MatmulResult(buffers.Accumulators.GetAsArray1D(), buffers.Output.GetAsArray1D());
    }

    /// <summary>Times the kernel on data already on the device.</summary>
    public KernelTiming Time(ArrayView<sbyte> x, ArrayView<sbyte> w, ArrayView<float> rowScales, ArrayView<float> colScales,
        ArrayView<int> accumulators, ArrayView<float> output, Int8MatmulShape shape, int iterations = 20) =>
        KernelTimer.Measure(device.Accelerator, "int8 matmul (ILGPU)", () => Launch(x, w, rowScales, colScales, accumulators, output, shape),
            (long)shape.Rows * shape.Cols, BytesMoved(shape), iterations);

    /// <summary>Copies the operands to the device once, then times the kernel on them (the copies are not timed).</summary>
    public KernelTiming Time(sbyte[] x, sbyte[] w, float[] rowScales, float[] colScales, Int8MatmulShape shape, int iterations = 20)
    {
        using var buffers = new DeviceBuffers(device.Accelerator, x, w, rowScales, colScales, shape);
        return Time(buffers.X.View, buffers.W.View, buffers.RowScales.View, buffers.ColScales.View, buffers.Accumulators.View, buffers.Output.View,
            shape, iterations);
    }

    /// <summary>The operands copied to the device, and room for the int32 sums and the output; freed together.</summary>
    sealed class DeviceBuffers : IDisposable
    {
        public DeviceBuffers(Accelerator accelerator, sbyte[] x, sbyte[] w, float[] rowScales, float[] colScales, Int8MatmulShape shape)
        {
            X = accelerator.Allocate1D(x);
            W = accelerator.Allocate1D(w);
            RowScales = accelerator.Allocate1D(rowScales);
            ColScales = accelerator.Allocate1D(colScales);
            Accumulators = accelerator.Allocate1D<int>((long)shape.Rows * shape.Cols);
            Output = accelerator.Allocate1D<float>((long)shape.Rows * shape.Cols);
        }

        public MemoryBuffer1D<sbyte, Stride1D.Dense> X { get; }
        public MemoryBuffer1D<sbyte, Stride1D.Dense> W { get; }
        public MemoryBuffer1D<float, Stride1D.Dense> RowScales { get; }
        public MemoryBuffer1D<float, Stride1D.Dense> ColScales { get; }
        public MemoryBuffer1D<int, Stride1D.Dense> Accumulators { get; }
        public MemoryBuffer1D<float, Stride1D.Dense> Output { get; }

        public void Dispose()
        {
            X.Dispose(); W.Dispose(); RowScales.Dispose(); ColScales.Dispose(); Accumulators.Dispose(); Output.Dispose();
        }
    }

    /// <summary>
    /// The codes of a symmetric 8-bit <see cref="QuantizedTensor"/> (from <see cref="AbsmaxQuantizer"/>) as row-major
    /// sbytes, and its scales as floats (one per row when quantized per channel, else the single scale).
    /// </summary>
    public static (sbyte[] Codes, float[] Scales) ToInt8(QuantizedTensor quantized)
    {
        ArgumentNullException.ThrowIfNull(quantized);
        if (quantized.Bits > 8) throw new ArgumentException("codes wider than 8 bits do not fit an sbyte.");
        using var scope = NewDisposeScope();
        var codes = quantized.Codes.cpu().to(ScalarType.Float32).contiguous().data<float>().ToArray();
        var scales = quantized.Scale.cpu().to(ScalarType.Float32).contiguous().data<float>().ToArray();
        var bytes = new sbyte[codes.Length];
        for (int i = 0; i < codes.Length; i++) bytes[i] = checked((sbyte)codes[i]);
        return (bytes, scales);
    }

    static void MultiplyOne(Index1D index, ArrayView<sbyte> x, ArrayView<sbyte> w, ArrayView<float> rowScales, ArrayView<float> colScales,
        ArrayView<int> accumulators, ArrayView<float> output, Int8MatmulShape shape)
    {
        int element = index.X;
        int row = element / shape.Cols, col = element % shape.Cols;
        long xBase = (long)row * shape.Inner, wBase = (long)col * shape.Inner;
        int sum = 0;
        for (int k = 0; k < shape.Inner; k++) sum += x[xBase + k] * w[wBase + k];
        accumulators[element] = sum;
        output[element] = rowScales[row] * colScales[col] * sum;
    }
}

/// <summary>The shape of an <see cref="Int8MatmulKernel"/> launch, passed to the kernel by value.</summary>
public struct Int8MatmulShape
{
    /// <summary>Activation rows (tokens).</summary>
    public int Rows;
    /// <summary>The shared inner dimension (input features).</summary>
    public int Inner;
    /// <summary>Output channels (rows of the weight matrix).</summary>
    public int Cols;

    /// <summary>A launch shape; see the fields.</summary>
    public Int8MatmulShape(int rows, int inner, int cols)
    {
        Rows = rows;
        Inner = inner;
        Cols = cols;
    }
}

/// <summary>What one <see cref="Int8MatmulKernel.Run"/> returns: the exact int32 sums and the dequantised floats, both rows × cols.</summary>
/// <param name="Accumulators">The int32 dot products of the codes.</param>
/// <param name="Output">The sums times the row and channel scales.</param>
public sealed record Int8MatmulResult(int[] Accumulators, float[] Output);
