using ILGPU;
using ILGPU.Runtime;

namespace TransformersBook.GpuKernels;

/// <summary>
/// A fused, numerically stable softmax over each row of a row-major (rows × cols) float matrix:
/// y_j = exp(x_j − max x) / Σ_k exp(x_k − max x). One pass over the row gathers the maximum and the normaliser
/// together (online softmax, Milakov and Gimelshein, 2018) and a second pass writes the output, so the input is read
/// twice and the output written once, with no intermediate matrix in global memory. Subtracting the maximum keeps
/// every exponent ≤ 0, so inputs of ±1e4 give no Inf or NaN; a row that is entirely −∞ gives NaN, as torch.softmax does.
/// </summary>
public sealed class RowSoftmaxKernel
{
    readonly KernelDevice device;
    readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, int> grouped;
    readonly Action<Index1D, ArrayView<float>, ArrayView<float>, int> perThread;

    /// <param name="device">Where the kernel is compiled and runs.</param>
    /// <param name="strategy">How rows map onto threads.</param>
    /// <param name="threadsPerRow">For <see cref="RowKernelStrategy.GroupPerRow"/>: a power of two; null takes the most the device allows, up to 256.</param>
    public RowSoftmaxKernel(KernelDevice device, RowKernelStrategy strategy = RowKernelStrategy.GroupPerRow, int? threadsPerRow = null)
    {
        this.device = device;
        Strategy = strategy;
        ThreadsPerRow = strategy == RowKernelStrategy.GroupPerRow ? RowLaunch.ThreadsPerRow(device.Accelerator, threadsPerRow) : 1;
        grouped = device.Accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, int>(GroupPerRow);
        perThread = device.Accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, int>(ThreadPerRow);
    }

    public RowKernelStrategy Strategy { get; }

    public int ThreadsPerRow { get; }

    /// <summary>Bytes a perfect softmax must move: read the input once, write the output once.</summary>
    public static long BytesMoved(int rows, int cols) => 2L * sizeof(float) * rows * cols;

    /// <summary>Enqueues the kernel on the accelerator's default stream; synchronise before reading <paramref name="output"/>.</summary>
    /// <param name="input">rows × cols floats, row-major.</param>
    /// <param name="rows">How many rows: one normalised (or softmaxed) vector each.</param>
    /// <param name="cols">The length of a row; any positive count, not only powers of two.</param>
    /// <param name="output">rows × cols floats; may not alias <paramref name="input"/>.</param>
    public void Launch(ArrayView<float> input, ArrayView<float> output, int rows, int cols)
    {
        RowLaunch.CheckShape(input.Length, output.Length, rows, cols);
        if (Strategy == RowKernelStrategy.GroupPerRow) grouped(RowLaunch.GroupConfig(rows, ThreadsPerRow), input, output, cols);
        else perThread(rows, input, output, cols);
    }

    /// <summary>Copies <paramref name="input"/> to the device, runs the kernel and returns the result.</summary>
    public float[] Run(float[] input, int rows, int cols)
    {
        var accelerator = device.Accelerator;
        using var x = accelerator.Allocate1D(input);
        using var y = accelerator.Allocate1D<float>((long)rows * cols);
        Launch(x.View, y.View, rows, cols);
        accelerator.Synchronize();
        return y.GetAsArray1D();
    }

    /// <summary>Times the kernel on data already on the device.</summary>
    public KernelTiming Time(ArrayView<float> input, ArrayView<float> output, int rows, int cols, int iterations = 20) =>
        KernelTimer.Measure(device.Accelerator, $"softmax ({Strategy})", () => Launch(input, output, rows, cols),
            (long)rows * cols, BytesMoved(rows, cols), iterations);

    static void GroupPerRow(ArrayView<float> input, ArrayView<float> output, int cols)
    {
        var maxima = SharedMemory.Allocate<float>(RowStatistics.MaxThreadsPerRow);
        var sums = SharedMemory.Allocate<float>(RowStatistics.MaxThreadsPerRow);
        int lane = Group.IdxX, threads = Group.DimX;
        long start = (long)Grid.IdxX * cols;

        var state = SoftmaxState.Empty;
        for (int j = lane; j < cols; j += threads) state = SoftmaxState.Add(state, input[start + j]);
        maxima[lane] = state.Max;
        sums[lane] = state.Sum;
        Group.Barrier();
        // Tree reduction: each step the lower half merges the upper half's partial states into its own.
        for (int stride = threads / 2; stride > 0; stride /= 2)
        {
            if (lane < stride)
            {
                var merged = SoftmaxState.Merge(
                    new SoftmaxState { Max = maxima[lane], Sum = sums[lane] },
                    new SoftmaxState { Max = maxima[lane + stride], Sum = sums[lane + stride] });
                maxima[lane] = merged.Max;
                sums[lane] = merged.Sum;
            }
            Group.Barrier();
        }

        float rowMax = maxima[0];
        float inverseSum = 1f / sums[0];
        for (int j = lane; j < cols; j += threads) output[start + j] = KernelMath.Exp(input[start + j] - rowMax) * inverseSum;
    }

    static void ThreadPerRow(Index1D row, ArrayView<float> input, ArrayView<float> output, int cols)
    {
        long start = (long)row.X * cols;
        var state = SoftmaxState.Empty;
        for (int j = 0; j < cols; j++) state = SoftmaxState.Add(state, input[start + j]);
        float inverseSum = 1f / state.Sum;
        for (int j = 0; j < cols; j++) output[start + j] = KernelMath.Exp(input[start + j] - state.Max) * inverseSum;
    }
}
