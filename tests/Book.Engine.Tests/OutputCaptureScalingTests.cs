using System.Diagnostics;
using Book.Engine.Execution;
using Book.Engine.Running;
using Xunit;

namespace Book.Engine.Tests;

/// <summary>
/// Capturing a cell's output costs time in proportion to its size. Before, every line rebuilt the accumulated text,
/// so 2 MB took half a minute; the limits below are generous for a slow machine and far below quadratic times.
/// </summary>
public class OutputCaptureScalingTests
{
    const int Megabyte = 1 << 20;

    [Fact]
    public void Collecting_4_MB_of_stdout_line_by_line_is_linear()
    {
        var collector = new NotebookOutputCollector();
        collector.BeginCell(0);
        string line = new string('x', 99) + "\n";
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < 4 * Megabyte / line.Length; i++) collector.WriteStream(StreamName.Stdout, line);
        collector.WriteStream(StreamName.Stderr, "done\n");
        var outputs = collector.Outputs(0);
        clock.Stop();
        Assert.Equal(2, outputs.Count);
        Assert.Equal(4 * Megabyte / line.Length * line.Length, outputs[0]["text"]!.GetValue<string>().Length);
        Assert.Equal("done\n", outputs[1]["text"]!.GetValue<string>());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"4 MB took {clock.Elapsed.TotalSeconds:0.0} s");
    }

    [Fact]
    public void A_1_MB_line_written_a_character_at_a_time_is_linear()
    {
        var sink = new RecordingSink();
        var clock = Stopwatch.StartNew();
        CellConsole.Begin(sink);
        try
        {
            for (int i = 0; i < Megabyte; i++) Console.Out.Write('y');
            Console.Out.Write('\n');
        }
        finally { CellConsole.End(); }
        clock.Stop();
        Assert.Equal(Megabyte + 1, sink.Stdout.Length);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"1 MB took {clock.Elapsed.TotalSeconds:0.0} s");
    }
}
