using ILGPU.Runtime;
using TransformersBook.GpuKernels;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>The ILGPU row softmax on ILGPU's CPU accelerator against torch.softmax, both thread mappings.</summary>
public class RowSoftmaxKernelTests : IClassFixture<CpuKernelDevice>
{
    readonly KernelDevice device;

    public RowSoftmaxKernelTests(CpuKernelDevice fixture)
    {
        TestSetup.Initialize();
        device = fixture.Device;
    }

    static float[] Reference(float[] x, int rows, int cols)
    {
        using var t = tensor(x).reshape(rows, cols);
        using var y = t.softmax(1);
        return y.data<float>().ToArray();
    }

    [Theory]
    [MemberData(nameof(KernelData.Shapes), MemberType = typeof(KernelData))]
    public void Equals_torch_softmax_for_both_strategies(int rows, int cols)
    {
        var x = KernelData.Uniform(rows, cols, scale: 5f);
        var expected = Reference(x, rows, cols);
        foreach (var strategy in new[] { RowKernelStrategy.GroupPerRow, RowKernelStrategy.ThreadPerRow })
            KernelData.AllClose(expected, new RowSoftmaxKernel(device, strategy).Run(x, rows, cols), 1e-5);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(8)]
    public void Any_power_of_two_threads_per_row_gives_the_same_result(int threads)
    {
        var x = KernelData.Uniform(6, 53, scale: 3f);
        KernelData.AllClose(Reference(x, 6, 53), new RowSoftmaxKernel(device, threadsPerRow: threads).Run(x, 6, 53), 1e-5);
    }

    [Fact]
    public void Inputs_of_plus_minus_ten_thousand_stay_finite()
    {
        // Without subtracting the maximum, exp(1e4) overflows to ∞ and the row becomes ∞/∞ = NaN.
        int rows = 8, cols = 333;
        var x = KernelData.Uniform(rows, cols, scale: 1e4f, seed: 1);
        x[5] = 1e4f;
        x[cols + 3] = -1e4f;
        var y = new RowSoftmaxKernel(device).Run(x, rows, cols);
        KernelData.AllClose(Reference(x, rows, cols), y, 1e-5);
        for (int r = 0; r < rows; r++) Assert.Equal(1.0, y.Skip(r * cols).Take(cols).Sum(v => (double)v), 4);
    }

    [Fact]
    public void Masked_entries_get_zero_probability()
    {
        var x = new[] { 1f, float.NegativeInfinity, 2f, float.NegativeInfinity, float.NegativeInfinity, 0f };
        var y = new RowSoftmaxKernel(device).Run(x, 2, 3);
        KernelData.AllClose(Reference(x, 2, 3), y, 1e-6);
        Assert.Equal(0f, y[1]);
        Assert.Equal(1f, y[5], 6);
    }

    [Fact]
    public void Rejects_group_sizes_that_are_not_powers_of_two_and_arrays_too_short()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RowSoftmaxKernel(device, threadsPerRow: 6));
        Assert.Throws<ArgumentException>(() => new RowSoftmaxKernel(device).Run(new float[5], 2, 3));
    }

    [Fact]
    public void Timing_reports_rates_from_the_bytes_moved()
    {
        var kernel = new RowSoftmaxKernel(device);
        using var x = device.Accelerator.Allocate1D(KernelData.Uniform(32, 64, 1f));
        using var y = device.Accelerator.Allocate1D<float>(32 * 64);
        var timing = kernel.Time(x.View, y.View, 32, 64, iterations: 3);
        Assert.Equal(2L * 4 * 32 * 64, timing.Bytes);
        Assert.True(timing.PerRun > TimeSpan.Zero);
        Assert.Equal(timing.Bytes / timing.PerRun.TotalSeconds / 1e9, timing.GigabytesPerSecond, 6);
        Assert.Equal(32 * 64 / timing.PerRun.TotalSeconds, timing.ElementsPerSecond, 3);
    }
}
