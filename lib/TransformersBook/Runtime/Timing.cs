using System.Diagnostics;
using TorchSharp;

namespace TransformersBook.Runtime;

/// <summary>
/// The book's stopwatches for speed experiments. CUDA runs kernels asynchronously, so every GPU time is read after
/// <c>torch.cuda.synchronize()</c>, or it would be the launch and not the work. On a shared CPU, wall-clock time
/// measures the other processes as much as the work, so <see cref="CostMilliseconds"/> reads the processor time of
/// this process there instead.
/// </summary>
public static class Timing
{
    /// <summary>
    /// One run's cost: on a CUDA <paramref name="device"/>, wall-clock milliseconds after synchronising; on a CPU, the
    /// milliseconds of processor time this process used (all threads together, so run libtorch on one thread when
    /// comparing against a single-threaded baseline).
    /// </summary>
    /// <param name="run">The work; it should dispose what it creates.</param>
    /// <param name="device">Where the work runs.</param>
    public static double CostMilliseconds(Action run, torch.Device device)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(device);
        if (device.type == DeviceType.CUDA)
        {
            var clock = Stopwatch.StartNew();
            run();
            torch.cuda.synchronize();
            return clock.Elapsed.TotalMilliseconds;
        }
        using var process = Process.GetCurrentProcess();
        var before = process.TotalProcessorTime;
        run();
        process.Refresh();
        return (process.TotalProcessorTime - before).TotalMilliseconds;
    }

    /// <summary>
    /// One run's wall-clock milliseconds, read after <paramref name="finish"/> has waited for the work. For experiments
    /// that interleave their repeats (every size once per round, the fastest round kept), so a burst of load on a
    /// shared machine hits one round of every size rather than every round of one size.
    /// </summary>
    /// <param name="run">The work; it should dispose what it creates.</param>
    /// <param name="finish">Waits for the work to end; by default synchronises CUDA when it is available.</param>
    public static double WallMilliseconds(Action run, Action? finish = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        finish ??= SynchronizeCuda;
        var clock = Stopwatch.StartNew();
        run();
        finish();
        return clock.Elapsed.TotalMilliseconds;
    }

    /// <summary>
    /// The fastest wall-clock time of <paramref name="repeats"/> runs after <paramref name="warmups"/> untimed ones
    /// (the first run pays for allocation and compilation). The fastest is the least disturbed by other work.
    /// </summary>
    /// <param name="run">The work; it should dispose what it creates.</param>
    /// <param name="repeats">Timed runs.</param>
    /// <param name="warmups">Untimed runs first.</param>
    /// <param name="finish">Waits for the work to end; by default synchronises CUDA when it is available. Pass an
    /// ILGPU accelerator's <c>Synchronize</c> to time kernels.</param>
    public static double FastestMilliseconds(Action run, int repeats, int warmups = 1, Action? finish = null) =>
        Runs(run, repeats, warmups, finish).Min();

    /// <summary>
    /// The median wall-clock time of <paramref name="repeats"/> runs after <paramref name="warmups"/> untimed ones:
    /// the typical run, where <see cref="FastestMilliseconds"/> gives the best one.
    /// </summary>
    /// <param name="run">The work; it should dispose what it creates.</param>
    /// <param name="repeats">Timed runs.</param>
    /// <param name="warmups">Untimed runs first.</param>
    /// <param name="finish">Waits for the work to end; by default synchronises CUDA when it is available.</param>
    public static double MedianMilliseconds(Action run, int repeats, int warmups = 1, Action? finish = null)
    {
        var times = Runs(run, repeats, warmups, finish);
        Array.Sort(times);
        int middle = times.Length / 2;
        return times.Length % 2 == 1 ? times[middle] : (times[middle - 1] + times[middle]) / 2;
    }

    /// <summary>
    /// The fastest wall-clock time of each of <paramref name="runs"/>, timed in <paramref name="rounds"/> rounds in
    /// which every run goes once, each round starting one run later than the last. Timing one run's repeats after
    /// another's lets a burst of load on a shared machine fall on one of them only and turn into a false ratio;
    /// interleaved, the burst costs every run one round and the fastest round of each survives.
    /// </summary>
    /// <param name="runs">The work to compare; each should dispose what it creates.</param>
    /// <param name="rounds">Timed rounds.</param>
    /// <param name="warmups">Untimed rounds first.</param>
    /// <param name="finish">Waits for the work to end; by default synchronises CUDA when it is available.</param>
    /// <returns>One time per run, in the order of <paramref name="runs"/>.</returns>
    public static double[] FastestInterleavedMilliseconds(IReadOnlyList<Action> runs, int rounds, int warmups = 1, Action? finish = null)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0) throw new ArgumentException("Give at least one run to time.", nameof(runs));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rounds);
        ArgumentOutOfRangeException.ThrowIfNegative(warmups);
        finish ??= SynchronizeCuda;
        for (int i = 0; i < warmups; i++)
            foreach (var run in runs) run();
        finish();
        var fastest = Enumerable.Repeat(double.PositiveInfinity, runs.Count).ToArray();
        for (int round = 0; round < rounds; round++)
            for (int k = 0; k < runs.Count; k++)
            {
                int which = (round + k) % runs.Count;
                fastest[which] = Math.Min(fastest[which], WallMilliseconds(runs[which], finish));
            }
        return fastest;
    }

    static double[] Runs(Action run, int repeats, int warmups, Action? finish)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(repeats);
        ArgumentOutOfRangeException.ThrowIfNegative(warmups);
        finish ??= SynchronizeCuda;
        for (int i = 0; i < warmups; i++) run();
        finish();
        var times = new double[repeats];
        for (int i = 0; i < repeats; i++) times[i] = WallMilliseconds(run, finish);
        return times;
    }

    static void SynchronizeCuda()
    {
        if (torch.cuda.is_available()) torch.cuda.synchronize();
    }
}
