using ILGPU;
using ILGPU.Runtime;

namespace TransformersBook.GpuKernels;

/// <summary>
/// A fused RMS normalization (Zhang and Sennrich, 2019) of each row of a row-major (rows × cols) float matrix:
/// y_j = x_j / √(mean(x²) + ε) · γ_j. It needs one statistic, not two, and no centring: one pass sums the squares,
/// a second writes the output. The squares are summed in float, so |x| above about 1e18 would overflow.
/// </summary>
public sealed class RmsNormKernel
{
    readonly KernelDevice device;
    readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, float> grouped;
    readonly Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, float> perThread;

    /// <param name="device">Where the kernel is compiled and runs.</param>
    /// <param name="strategy">How rows map onto threads.</param>
    /// <param name="threadsPerRow">For <see cref="RowKernelStrategy.GroupPerRow"/>: a power of two; null takes the most the device allows, up to 256.</param>
    public RmsNormKernel(KernelDevice device, RowKernelStrategy strategy = RowKernelStrategy.GroupPerRow, int? threadsPerRow = null)
    {
        this.device = device;
        Strategy = strategy;
        ThreadsPerRow = strategy == RowKernelStrategy.GroupPerRow ? RowLaunch.ThreadsPerRow(device.Accelerator, threadsPerRow) : 1;
        grouped = device.Accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, int, float>(GroupPerRow);
        perThread = device.Accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, float>(ThreadPerRow);
    }

    public RowKernelStrategy Strategy { get; }

    public int ThreadsPerRow { get; }

    /// <summary>Bytes a perfect RMSNorm must move: the input once, the output once, γ once.</summary>
    public static long BytesMoved(int rows, int cols) => sizeof(float) * (2L * rows * cols + cols);

    /// <summary>Enqueues the kernel on the accelerator's default stream; synchronise before reading <paramref name="output"/>.</summary>
    /// <param name="input">rows × cols floats, row-major.</param>
    /// <param name="rows">How many rows: one normalised (or softmaxed) vector each.</param>
    /// <param name="cols">The length of a row; any positive count, not only powers of two.</param>
    /// <param name="gamma">cols floats: the learned gain γ.</param>
    /// <param name="output">rows × cols floats; may not alias <paramref name="input"/>.</param>
    /// <param name="epsilon">Added to mean(x²) before the square root.</param>
    public void Launch(ArrayView<float> input, ArrayView<float> gamma, ArrayView<float> output, int rows, int cols, float epsilon = 1e-6f)
    {
        RowLaunch.CheckShape(input.Length, output.Length, rows, cols);
        RowLaunch.CheckParameter(gamma.Length, cols, nameof(gamma));
        if (Strategy == RowKernelStrategy.GroupPerRow) grouped(RowLaunch.GroupConfig(rows, ThreadsPerRow), input, gamma, output, cols, epsilon);
        else perThread(rows, input, gamma, output, cols, epsilon);
    }

    /// <summary>Copies the arrays to the device, runs the kernel and returns the result.</summary>
    public float[] Run(float[] input, float[] gamma, int rows, int cols, float epsilon = 1e-6f)
    {
        var accelerator = device.Accelerator;
        using var x = accelerator.Allocate1D(input);
        using var g = accelerator.Allocate1D(gamma);
        using var y = accelerator.Allocate1D<float>((long)rows * cols);
        Launch(x.View, g.View, y.View, rows, cols, epsilon);
        accelerator.Synchronize();
        return y.GetAsArray1D();
    }

    /// <summary>Times the kernel on data already on the device.</summary>
    public KernelTiming Time(ArrayView<float> input, ArrayView<float> gamma, ArrayView<float> output, int rows, int cols, int iterations = 20) =>
        KernelTimer.Measure(device.Accelerator, $"RMSNorm ({Strategy})", () => Launch(input, gamma, output, rows, cols),
            (long)rows * cols, BytesMoved(rows, cols), iterations);

    static void GroupPerRow(ArrayView<float> input, ArrayView<float> gamma, ArrayView<float> output, int cols, float epsilon)
    {
        var sums = SharedMemory.Allocate<float>(RowStatistics.MaxThreadsPerRow);
        int lane = Group.IdxX, threads = Group.DimX;
        long start = (long)Grid.IdxX * cols;

        float sumOfSquares = 0f;
        for (int j = lane; j < cols; j += threads)
        {
            float x = input[start + j];
            sumOfSquares += x * x;
        }
        sums[lane] = sumOfSquares;
        Group.Barrier();
        for (int stride = threads / 2; stride > 0; stride /= 2)
        {
            if (lane < stride) sums[lane] += sums[lane + stride];
            Group.Barrier();
        }

        float inverseRms = 1f / MathF.Sqrt(sums[0] / cols + epsilon);
        for (int j = lane; j < cols; j += threads) output[start + j] = input[start + j] * inverseRms * gamma[j];
    }

    static void ThreadPerRow(Index1D row, ArrayView<float> input, ArrayView<float> gamma, ArrayView<float> output, int cols, float epsilon)
    {
        long start = (long)row.X * cols;
        float sumOfSquares = 0f;
        for (int j = 0; j < cols; j++)
        {
            float x = input[start + j];
            sumOfSquares += x * x;
        }
        float inverseRms = 1f / MathF.Sqrt(sumOfSquares / cols + epsilon);
        for (int j = 0; j < cols; j++) output[start + j] = input[start + j] * inverseRms * gamma[j];
    }
}
