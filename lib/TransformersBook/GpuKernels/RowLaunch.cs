using ILGPU;
using ILGPU.Runtime;

namespace TransformersBook.GpuKernels;

/// <summary>What every row kernel checks and computes before a launch.</summary>
internal static class RowLaunch
{
    /// <summary>
    /// The threads per row for <see cref="RowKernelStrategy.GroupPerRow"/>: a power of two (the tree reduction halves
    /// the active threads each step), at most <see cref="RowStatistics.MaxThreadsPerRow"/> and what the accelerator
    /// allows in one group (16 on ILGPU's default CPU accelerator, 1024 on CUDA).
    /// </summary>
    public static int ThreadsPerRow(Accelerator accelerator, int? requested)
    {
        int limit = Math.Min(RowStatistics.MaxThreadsPerRow, accelerator.MaxNumThreadsPerGroup);
        int threads = requested ?? limit;
        if (threads < 1 || threads > limit || (threads & (threads - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(requested), threads, $"Threads per row must be a power of two from 1 to {limit} on {accelerator.Name}.");
        return threads;
    }

    public static void CheckShape(long inputLength, long outputLength, int rows, int cols)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cols);
        long elements = (long)rows * cols;
        if (inputLength < elements) throw new ArgumentException($"The input holds {inputLength} floats, fewer than {rows} × {cols}.", "input");
        if (outputLength < elements) throw new ArgumentException($"The output holds {outputLength} floats, fewer than {rows} × {cols}.", "output");
    }

    public static void CheckParameter(long length, int cols, string name)
    {
        if (length != cols) throw new ArgumentException($"{name} holds {length} floats; it needs one per column ({cols}).", name);
    }

    public static KernelConfig GroupConfig(int rows, int threadsPerRow) => new(new Index1D(rows), new Index1D(threadsPerRow));
}
