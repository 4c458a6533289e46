using System.Diagnostics;
using Book.Native;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime;
using ILGPU;

namespace TransformersBook.GpuKernels;

/// <summary>
/// One ILGPU context and one accelerator: CUDA when a CUDA device is present, else ILGPU's CPU accelerator, which runs
/// the same kernels (barriers and shared memory included) on CPU threads. Dispose it to release the device; kernels
/// loaded from it become unusable afterwards.
/// </summary>
public sealed class KernelDevice : IDisposable
{
    readonly Context context;

    KernelDevice(Context context, Accelerator accelerator)
    {
        this.context = context;
        Accelerator = accelerator;
    }

    /// <summary>The accelerator kernels are compiled for and launched on.</summary>
    public Accelerator Accelerator { get; }

    /// <summary>True on a CUDA GPU, false on the CPU accelerator.</summary>
    public bool IsCuda => Accelerator.AcceleratorType == AcceleratorType.Cuda;

    /// <summary>The accelerator's name, e.g. "NVIDIA H100 80GB HBM3" or "CPUAccelerator".</summary>
    public string Name => Accelerator.Name;

    /// <summary>The first CUDA device when one is present, else the CPU accelerator.</summary>
    public static KernelDevice Best()
    {
        // BOOK_DEVICE=cpu means the reader asked for the CPU: kernels follow the same switch as the tensors.
        if (DeviceChoices.FromEnvironment() == DeviceChoices.Cpu) return Cpu();
        var context = Context.Create(builder => builder.Cuda().DefaultCPU());
        try
        {
            var accelerator = context.GetCudaDevices().Count > 0
                ? (Accelerator)context.CreateCudaAccelerator(0)
                : context.CreateCPUAccelerator(0);
            return new KernelDevice(context, accelerator);
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    /// <summary>
    /// ILGPU's CPU accelerator (its default simulated GPU: groups of up to 16 threads, warps of 4), for tests and for
    /// machines without a GPU.
    /// </summary>
    public static KernelDevice Cpu()
    {
        var context = Context.Create(builder => builder.DefaultCPU());
        try
        {
            return new KernelDevice(context, context.CreateCPUAccelerator(0));
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The device-to-device copy bandwidth: the ceiling a memory-bound kernel such as a row softmax can approach,
    /// since it too must read every element once and write it once.
    /// </summary>
    /// <param name="elements">How many floats to copy (use at least a few million to leave the caches).</param>
    /// <param name="iterations">Timed copies, after one untimed warm-up copy.</param>
    public KernelTiming MeasureCopyBandwidth(long elements, int iterations = 20)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(elements);
        using var source = Accelerator.Allocate1D<float>(elements);
        using var target = Accelerator.Allocate1D<float>(elements);
        source.MemSetToZero();
        return KernelTimer.Measure(Accelerator, "device copy", () => source.View.CopyTo(target.View),
            elements, bytes: 2 * sizeof(float) * elements, iterations);
    }

    public override string ToString() => $"{Name} ({Accelerator.AcceleratorType})";

    public void Dispose()
    {
        Accelerator.Dispose();
        context.Dispose();
    }
}

/// <summary>Times launches on an accelerator: synchronise, launch <c>iterations</c> times, synchronise.</summary>
public static class KernelTimer
{
    /// <param name="accelerator">Where <paramref name="launch"/> enqueues its work.</param>
    /// <param name="name">What is timed, for tables.</param>
    /// <param name="launch">Enqueues one run; it need not wait for it.</param>
    /// <param name="elements">Elements processed by one run.</param>
    /// <param name="bytes">Bytes one run must read and write at the least (each input read once, each output written once).</param>
    /// <param name="iterations">Timed runs, after one untimed warm-up run (which also compiles a kernel on first use).</param>
    public static KernelTiming Measure(Accelerator accelerator, string name, Action launch, long elements, long bytes, int iterations = 20)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(iterations);
        launch();
        accelerator.Synchronize();
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < iterations; i++) launch();
        accelerator.Synchronize();
        clock.Stop();
        return new KernelTiming(name, elements, bytes, iterations, clock.Elapsed / iterations);
    }

    /// <summary>
    /// Times a TorchSharp computation the same way, so a kernel and the op it replaces are compared like for like: one
    /// untimed warm-up, then <paramref name="iterations"/> runs, waiting for CUDA before and after when the result lives
    /// there. Each run's result is disposed at once, so native memory stays flat over the loop.
    /// </summary>
    /// <param name="name">What is timed, for tables.</param>
    /// <param name="run">Computes one result.</param>
    /// <param name="elements">Elements processed by one run.</param>
    /// <param name="bytes">Bytes one run must read and write at the least.</param>
    /// <param name="iterations">Timed runs.</param>
    public static KernelTiming MeasureTorch(string name, Func<TorchSharp.torch.Tensor> run, long elements, long bytes, int iterations = 20)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(iterations);
        bool cuda;
        using (var warmup = run()) cuda = warmup.device_type == TorchSharp.DeviceType.CUDA;
        if (cuda) TorchSharp.torch.cuda.synchronize();
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < iterations; i++)
        {
            using var result = run();
        }
        if (cuda) TorchSharp.torch.cuda.synchronize();
        clock.Stop();
        return new KernelTiming(name, elements, bytes, iterations, clock.Elapsed / iterations);
    }
}

/// <summary>
/// One timed kernel: the time per run, and the rates a reader compares across devices. The bandwidth is
/// "effective": bytes a perfect kernel must move (read inputs once, write outputs once) divided by the time, so a
/// kernel that rereads its input from cache is not credited for the extra traffic.
/// </summary>
public sealed record KernelTiming(string Name, long Elements, long Bytes, int Iterations, TimeSpan PerRun)
{
    public double ElementsPerSecond => Elements / PerRun.TotalSeconds;

    public double GigabytesPerSecond => Bytes / PerRun.TotalSeconds / 1e9;

    public override string ToString() =>
        $"{Name}: {PerRun.TotalMilliseconds:F3} ms/run, {ElementsPerSecond / 1e9:F3} G elements/s, {GigabytesPerSecond:F2} GB/s";
}
