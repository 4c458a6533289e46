using ILGPU;
using ILGPU.Runtime;

namespace TransformersBook.GpuKernels;

/// <summary>
/// A fused layer normalization (Ba, Kiros and Hinton, 2016) of each row of a row-major (rows × cols) float matrix:
/// y_j = (x_j − μ) / √(σ² + ε) · γ_j + β_j, with μ and the biased variance σ² over the row, as nn.LayerNorm computes
/// them. One pass gathers μ and σ² together with Welford's update on x − x₀ (stable when |μ| ≫ σ, unlike
/// E[x²] − μ²), a second pass writes the output.
/// </summary>
public sealed class LayerNormKernel
{
    readonly KernelDevice device;
    readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, float> grouped;
    readonly Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, float> perThread;

    /// <param name="device">Where the kernel is compiled and runs.</param>
    /// <param name="strategy">How rows map onto threads.</param>
    /// <param name="threadsPerRow">For <see cref="RowKernelStrategy.GroupPerRow"/>: a power of two; null takes the most the device allows, up to 256.</param>
    public LayerNormKernel(KernelDevice device, RowKernelStrategy strategy = RowKernelStrategy.GroupPerRow, int? threadsPerRow = null)
    {
        this.device = device;
        Strategy = strategy;
        ThreadsPerRow = strategy == RowKernelStrategy.GroupPerRow ? RowLaunch.ThreadsPerRow(device.Accelerator, threadsPerRow) : 1;
        grouped = device.Accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, float>(GroupPerRow);
        perThread = device.Accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, float>(ThreadPerRow);
    }

    public RowKernelStrategy Strategy { get; }

    public int ThreadsPerRow { get; }

    /// <summary>Bytes a perfect layer norm must move: the input once, the output once, γ and β once.</summary>
    public static long BytesMoved(int rows, int cols) => sizeof(float) * (2L * rows * cols + 2L * cols);

    /// <summary>Enqueues the kernel on the accelerator's default stream; synchronise before reading <paramref name="output"/>.</summary>
    /// <param name="input">rows × cols floats, row-major.</param>
    /// <param name="rows">How many rows: one normalised (or softmaxed) vector each.</param>
    /// <param name="cols">The length of a row; any positive count, not only powers of two.</param>
    /// <param name="gamma">cols floats: the learned gain γ.</param>
    /// <param name="beta">cols floats: the learned bias β.</param>
    /// <param name="output">rows × cols floats; may not alias <paramref name="input"/>.</param>
    /// <param name="epsilon">Added to σ² before the square root (nn.LayerNorm's default is 1e-5).</param>
    public void Launch(ArrayView<float> input, ArrayView<float> gamma, ArrayView<float> beta, ArrayView<float> output, int rows, int cols, float epsilon = 1e-5f)
    {
        RowLaunch.CheckShape(input.Length, output.Length, rows, cols);
        RowLaunch.CheckParameter(gamma.Length, cols, nameof(gamma));
        RowLaunch.CheckParameter(beta.Length, cols, nameof(beta));
        if (Strategy == RowKernelStrategy.GroupPerRow) grouped(RowLaunch.GroupConfig(rows, ThreadsPerRow), input, gamma, beta, output, cols, epsilon);
        else perThread(rows, input, gamma, beta, output, cols, epsilon);
    }

    /// <summary>Copies the arrays to the device, runs the kernel and returns the result.</summary>
    public float[] Run(float[] input, float[] gamma, float[] beta, int rows, int cols, float epsilon = 1e-5f)
    {
        var accelerator = device.Accelerator;
        using var x = accelerator.Allocate1D(input);
        using var g = accelerator.Allocate1D(gamma);
        using var b = accelerator.Allocate1D(beta);
        using var y = accelerator.Allocate1D<float>((long)rows * cols);
        Launch(x.View, g.View, b.View, y.View, rows, cols, epsilon);
        accelerator.Synchronize();
        return y.GetAsArray1D();
    }

    /// <summary>Times the kernel on data already on the device.</summary>
    public KernelTiming Time(ArrayView<float> input, ArrayView<float> gamma, ArrayView<float> beta, ArrayView<float> output, int rows, int cols, int iterations = 20) =>
        KernelTimer.Measure(device.Accelerator, $"layer norm ({Strategy})", () => Launch(input, gamma, beta, output, rows, cols),
            (long)rows * cols, BytesMoved(rows, cols), iterations);

    static void GroupPerRow(ArrayView<float> input, ArrayView<float> gamma, ArrayView<float> beta, ArrayView<float> output, int cols, float epsilon)
    {
        var counts = SharedMemory.Allocate<float>(RowStatistics.MaxThreadsPerRow);
        var means = SharedMemory.Allocate<float>(RowStatistics.MaxThreadsPerRow);
        var deviations = SharedMemory.Allocate<float>(RowStatistics.MaxThreadsPerRow);
        int lane = Group.IdxX, threads = Group.DimX;
        long start = (long)Grid.IdxX * cols;

        // Shift by the row's first element: variance is shift-invariant, and the moments of x − x₀ are O(σ), not O(|μ|).
        float shift = input[start];
        var state = new MomentsState();
        for (int j = lane; j < cols; j += threads) state = MomentsState.Add(state, input[start + j] - shift);
        counts[lane] = state.Count;
        means[lane] = state.Mean;
        deviations[lane] = state.SquaredDeviations;
        Group.Barrier();
        for (int stride = threads / 2; stride > 0; stride /= 2)
        {
            if (lane < stride)
            {
                var merged = MomentsState.Merge(
                    new MomentsState { Count = counts[lane], Mean = means[lane], SquaredDeviations = deviations[lane] },
                    new MomentsState { Count = counts[lane + stride], Mean = means[lane + stride], SquaredDeviations = deviations[lane + stride] });
                counts[lane] = merged.Count;
                means[lane] = merged.Mean;
                deviations[lane] = merged.SquaredDeviations;
            }
            Group.Barrier();
        }

        float mean = means[0];
        float inverseStd = 1f / MathF.Sqrt(deviations[0] / cols + epsilon);
        for (int j = lane; j < cols; j += threads)
            output[start + j] = (input[start + j] - shift - mean) * inverseStd * gamma[j] + beta[j];
    }

    static void ThreadPerRow(Index1D row, ArrayView<float> input, ArrayView<float> gamma, ArrayView<float> beta, ArrayView<float> output, int cols, float epsilon)
    {
        long start = (long)row.X * cols;
        float shift = input[start];
        var state = new MomentsState();
        for (int j = 0; j < cols; j++) state = MomentsState.Add(state, input[start + j] - shift);
        float inverseStd = 1f / MathF.Sqrt(state.SquaredDeviations / cols + epsilon);
        for (int j = 0; j < cols; j++)
            output[start + j] = (input[start + j] - shift - state.Mean) * inverseStd * gamma[j] + beta[j];
    }
}
