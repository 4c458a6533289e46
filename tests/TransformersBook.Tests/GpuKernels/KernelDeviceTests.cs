using ILGPU.Runtime.Cuda;
using TransformersBook.GpuKernels;

namespace TransformersBook.Tests;

/// <summary>Choosing and releasing the ILGPU device, and the copy bandwidth used as the benchmarks' ceiling.</summary>
public class KernelDeviceTests
{
    [Fact]
    public void The_best_device_is_cuda_only_when_a_cuda_device_exists()
    {
        using var device = KernelDevice.Best();
        using var context = ILGPU.Context.Create(builder => builder.Cuda());
        bool hasCuda = context.GetCudaDevices().Count > 0;
        Assert.Equal(hasCuda, device.IsCuda);
        Assert.False(string.IsNullOrWhiteSpace(device.Name));
    }

    [Fact]
    public void Torch_timing_runs_the_op_once_to_warm_up_then_the_requested_times()
    {
        TestSetup.Initialize();
        int calls = 0;
        var timing = KernelTimer.MeasureTorch("add", () => { calls++; return TorchSharp.torch.ones(8) + 1; }, 8, 64, iterations: 4);
        Assert.Equal(5, calls);
        Assert.Equal(4, timing.Iterations);
        Assert.Equal(64, timing.Bytes);
        Assert.True(timing.PerRun > TimeSpan.Zero);
    }

    [Fact]
    public void The_cpu_device_copies_and_reports_bandwidth()
    {
        using var device = KernelDevice.Cpu();
        Assert.False(device.IsCuda);
        var timing = device.MeasureCopyBandwidth(1 << 16, iterations: 3);
        Assert.Equal(2L * 4 * (1 << 16), timing.Bytes);
        Assert.True(timing.GigabytesPerSecond > 0 && double.IsFinite(timing.GigabytesPerSecond));
        Assert.Contains("GB/s", timing.ToString());
    }

    [Fact]
    public void Threads_per_row_default_to_the_devices_group_limit()
    {
        using var device = KernelDevice.Cpu();
        var kernel = new RowSoftmaxKernel(device);
        Assert.Equal(Math.Min(256, device.Accelerator.MaxNumThreadsPerGroup), kernel.ThreadsPerRow);
        Assert.Equal(1, new RowSoftmaxKernel(device, RowKernelStrategy.ThreadPerRow).ThreadsPerRow);
    }
}
