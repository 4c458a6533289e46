using System.Diagnostics;
using System.Text.Json.Nodes;
using Book.Engine.Execution;
using Book.Engine.Notebooks;
using Book.Native;

namespace Book.Engine.Running;

/// <summary>The outcome of executing one notebook: how it ended, where, and how long it took.</summary>
public sealed record NotebookRunResult(string Notebook, NotebookStatus Status, string? Failure, TimeSpan Elapsed, int CellsRun)
{
    public bool Succeeded => Status is NotebookStatus.Passed or NotebookStatus.Cached;
}

public enum NotebookStatus { Passed, Cached, Failed, TimedOut, Crashed, Invalid }

/// <summary>
/// Executes a notebook's code cells in order in one <see cref="NotebookSession"/> and writes an executed copy;
/// the source file is never written. Like nbconvert, it stops at the first failing cell and keeps that cell's error.
/// </summary>
public static class NotebookExecutor
{
    /// <summary>Runs the notebook and returns the executed copy without writing it (null when the notebook could not be read).</summary>
    /// <param name="reporter">Told of each cell as it starts and finishes, so a parent process keeps the outputs if this one dies.</param>
    public static async Task<(NotebookRunResult Result, NotebookDocument? Executed)> RunAsync(string sourcePath, string displayName, TimeSpan? cellTimeout,
        CancellationToken cancellationToken = default, ChildReporter? reporter = null)
    {
        var clock = Stopwatch.StartNew();
        NotebookDocument source;
        try { source = NotebookDocument.Load(sourcePath); }
        catch (NotebookFormatException e) { return (new NotebookRunResult(displayName, NotebookStatus.Invalid, e.Message, clock.Elapsed, 0), null); }
        if (source.WhyNotCSharp() is { } notCSharp)
            return (new NotebookRunResult(displayName, NotebookStatus.Invalid, $"{displayName} {notCSharp}", clock.Elapsed, 0), null);

        var executed = source.Clone(sourcePath);
        executed.PrepareForExecution();
        var collector = new NotebookOutputCollector();
        // The cells run in this process: the library reads the variable when a claim is checked.
        using var claims = new ClaimsCapture();
        Environment.SetEnvironmentVariable(BookEnvironment.ClaimsFile, claims.FilePath);
        reporter?.Started(claims.FilePath, collector);
        var options = new SessionOptions(Path.GetDirectoryName(Path.GetFullPath(sourcePath))!, displayName) { CellTimeout = cellTimeout };
        using var session = new NotebookSession(options);
        int count = 0;
        NotebookStatus status = NotebookStatus.Passed;
        string? failure = null;
        var ran = new List<int>();
        foreach (int index in executed.CodeCells())
        {
            string code = executed.CellSource(index);
            if (string.IsNullOrWhiteSpace(code)) continue;
            count++;
            ran.Add(index);
            collector.BeginCell(index);
            reporter?.CellStarting(index, count);
            var result = await session.ExecuteCellAsync(code, new CellLocation(displayName, index + 1), collector, cancellationToken);
            if (result.ReturnValue is { } value) collector.AddResult(value, count);
            if (result.Failure is { } f) collector.AddError(f);
            reporter?.CellFinished(index);
            if (result.Outcome != CellOutcome.Completed)
            {
                status = result.Outcome == CellOutcome.TimedOut ? NotebookStatus.TimedOut : NotebookStatus.Failed;
                failure = result.Failure?.Message;
                break;
            }
        }
        reporter?.Finished();
        // Outputs are attached after the run, so an update to an earlier cell's display lands in that cell.
        int n = 0;
        foreach (int index in ran) executed.SetOutputs(index, collector.Outputs(index), ++n);
        executed.Metadata["book"] = RunRecord.Create(sourcePath, status, clock.Elapsed,
            Environment.GetEnvironmentVariable(BookEnvironment.Profile) ?? RunProfiles.Default, "book", claims.Read());
        return (new NotebookRunResult(displayName, status, failure, clock.Elapsed, count), executed);
    }
}
