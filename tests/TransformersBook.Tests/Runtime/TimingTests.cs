using System.Diagnostics;
using TransformersBook.Runtime;
using Xunit;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>What the stopwatches count, not how fast anything is (speed lives in docs/benchmarks.md).</summary>
[Collection(ProcessState.Name)]      // processor time is the whole process's: run alone
public class TimingTests
{
    public TimingTests() => TestSetup.Initialize();

    [Fact]
    public void Warm_up_and_timed_runs_each_run_once_and_each_waits_for_the_work()
    {
        int runs = 0, finishes = 0;
        double fastest = Timing.FastestMilliseconds(() => runs++, repeats: 4, warmups: 2, finish: () => finishes++);
        Assert.Equal(6, runs);
        Assert.Equal(5, finishes);                         // once after the warm-ups, once after each timed run
        Assert.True(fastest >= 0);
    }

    [Fact]
    public void The_fastest_run_is_no_slower_than_the_median()
    {
        int call = 0;
        void Work() { if (call++ % 2 == 0) Thread.Sleep(20); }
        double fastest = Timing.FastestMilliseconds(Work, repeats: 5, warmups: 0);
        call = 0;
        double median = Timing.MedianMilliseconds(Work, repeats: 5, warmups: 0);
        Assert.True(fastest < 15, $"fastest {fastest} ms: the runs without a sleep");
        Assert.True(median >= 15, $"median {median} ms: three of five runs sleep");
    }

    [Fact]
    public void On_a_cpu_the_cost_is_the_processor_time_the_work_used()
    {
        // Only a lower bound can be asserted: processor time is the whole process's, and libtorch's OpenMP threads may
        // still be spinning from an earlier test, so even a sleep can cost time here (chapters time on one thread).
        var clock = Stopwatch.StartNew();
        double spinning = Timing.CostMilliseconds(() =>
        {
            while (clock.ElapsedMilliseconds < 300) { }
        }, CPU);
        Assert.True(spinning > 0, "a busy loop uses processor time");
        Assert.True(double.IsFinite(spinning));
    }

    [Fact]
    public void Interleaved_rounds_run_each_once_per_round_rotating_the_first()
    {
        var order = new List<string>();
        int finishes = 0;
        double[] times = Timing.FastestInterleavedMilliseconds(
            new Action[] { () => order.Add("a"), () => order.Add("b"), () => { order.Add("c"); Thread.Sleep(20); } },
            rounds: 3, warmups: 1, finish: () => finishes++);
        Assert.Equal("abc" + "abc" + "bca" + "cab", string.Concat(order));   // warm-up round, then rotated rounds
        Assert.Equal(1 + 9, finishes);
        Assert.Equal(3, times.Length);
        Assert.True(times[2] >= 15, $"the sleeping run keeps its own time ({times[2]} ms)");
        Assert.True(times[0] < 15 && times[1] < 15, $"the others are not charged for it ({times[0]}, {times[1]} ms)");
    }

    [Fact]
    public void Bad_counts_are_clear_errors()
    {
        Assert.Throws<ArgumentException>(() => Timing.FastestInterleavedMilliseconds(Array.Empty<Action>(), rounds: 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Timing.FastestInterleavedMilliseconds(new Action[] { () => { } }, rounds: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Timing.FastestMilliseconds(() => { }, repeats: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Timing.MedianMilliseconds(() => { }, repeats: 3, warmups: -1));
    }
}
