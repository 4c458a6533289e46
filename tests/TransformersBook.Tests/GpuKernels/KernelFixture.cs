using TransformersBook.GpuKernels;

namespace TransformersBook.Tests;

/// <summary>One ILGPU CPU accelerator shared by a test class: creating one and compiling kernels costs a second or so.</summary>
public sealed class CpuKernelDevice : IDisposable
{
    public KernelDevice Device { get; } = KernelDevice.Cpu();

    public void Dispose() => Device.Dispose();
}

/// <summary>Inputs and comparisons for the kernel tests.</summary>
public static class KernelData
{
    /// <summary>Row counts × column counts covering one row, rows shorter than a group, and non-powers of two.</summary>
    public static TheoryData<int, int> Shapes => new() { { 1, 1 }, { 3, 5 }, { 4, 37 }, { 17, 100 }, { 5, 1000 }, { 2, 4099 } };

    /// <summary>Uniform values in [−scale, scale], seeded by the shape so each case is reproducible.</summary>
    public static float[] Uniform(int rows, int cols, float scale, int seed = 0)
    {
        var random = new Random(seed + 7919 * rows + cols);
        var values = new float[rows * cols];
        for (int i = 0; i < values.Length; i++) values[i] = (float)((random.NextDouble() * 2 - 1) * scale);
        return values;
    }

    public static void AllClose(float[] expected, float[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(float.IsFinite(actual[i]), $"element {i} is {actual[i]}");
            double error = Math.Abs(expected[i] - actual[i]);
            if (error > worst) (worst, at) = (error, i);
        }
        Assert.True(worst <= tolerance, $"largest difference {worst:G3} at element {at} (expected {expected[Math.Max(at, 0)]}, got {actual[Math.Max(at, 0)]})");
    }
}
