using System.Text.Json.Nodes;
using Book.Engine;
using Book.Engine.Execution;

namespace Book.Kernel;

/// <summary>
/// Runs execute_request cells one after another in the notebook session and publishes what they produce:
/// execute_input, outputs (through <see cref="IopubOutputSink"/>), execute_result or error. Returns the execute_reply content.
/// </summary>
public sealed class ExecuteRequestHandler(Task<NotebookSession> session, MessageSender iopub, SessionOptions options)
{
    /// <summary>
    /// How long an interrupted cell may take before the kernel stops waiting for it. The session reports a cell
    /// that outlives its own CancellationGrace; this later limit covers a session that could not even do that.
    /// </summary>
    private readonly TimeSpan _interruptGrace = options.CancellationGrace + TimeSpan.FromSeconds(2);

    private readonly Lock _gate = new();
    private InterruptibleCell? _running;
    private Task? _runaway;
    private int _executionCount;

    /// <summary>Interrupts the running cell, if any. Safe from any thread (control socket, SIGINT).</summary>
    public bool Interrupt()
    {
        InterruptibleCell? running;
        lock (_gate)
            running = _running;
        running?.Interrupt();
        return running is not null;
    }

    public async Task<JsonObject> ExecuteAsync(JupyterMessage request)
    {
        var code = request.Content["code"]?.GetValue<string>() ?? "";
        var silent = request.ContentFlag("silent", false);
        var storeHistory = !silent && request.ContentFlag("store_history", true);

        // Like IPython, a blank cell runs nothing and does not advance the counter.
        var blank = string.IsNullOrWhiteSpace(code);
        var count = storeHistory && !blank ? ++_executionCount : _executionCount;
        if (!silent)
            iopub.Publish(request, "execute_input", new JsonObject { ["code"] = code, ["execution_count"] = count });
        if (blank)
            return Ok(count);

        if (_runaway is { IsCompleted: false })
            return Fail(request, count, silent, "KernelBusy",
                "An earlier cell ignored an interrupt and is still running, so this one cannot start. Restart the kernel to stop it.",
                []);
        _runaway = null;

        NotebookSession notebook;
        try
        {
            notebook = await session;
        }
        catch (Exception e)
        {
            return Fail(request, count, silent, "KernelStartupError", $"The notebook session could not start: {e.Message}", [e.ToString()]);
        }

        using var cell = new InterruptibleCell(_interruptGrace);
        lock (_gate)
            _running = cell;
        // Task.Run: a cell may compute synchronously for a long time before its first await,
        // and the kernel must keep a task it can stop waiting for.
        var sink = new IopubOutputSink(iopub, request, silent);
        var location = new CellLocation(options.NotebookName, count);
        var execution = Task.Run(() => notebook.ExecuteCellAsync(code, location, sink, cell.Token));
        var first = await Task.WhenAny(execution, cell.GaveUp);
        lock (_gate)
            _running = null;
        // Batched stream text goes out before the result, the error and the reply (and so before idle).
        sink.Flush();

        if (first != execution)
        {
            _runaway = execution;
            _ = execution.ContinueWith(t => KernelLog.Write($"the interrupted cell {count} finally ended ({t.Status})."), TaskScheduler.Default);
            return Fail(request, count, silent, "Interrupted",
                $"Interrupted, but {location.Describe()} is still running: .NET cannot abort code that never checks its CancellationToken (a tight loop, Thread.Sleep). Restart the kernel to stop it.",
                []);
        }

        CellResult result;
        try
        {
            result = await execution;
        }
        catch (OperationCanceledException) when (cell.WasInterrupted)
        {
            return Fail(request, count, silent, "Interrupted", $"{location.Describe()} was interrupted.", []);
        }
        catch (Exception e)
        {
            return Fail(request, count, silent, "KernelError", $"The kernel failed running {location.Describe()}: {e.Message}", [e.ToString()]);
        }

        if (result.Outcome == CellOutcome.Completed)
        {
            if (result.ReturnValue is { } value && !silent)
            {
                iopub.Publish(request, "execute_result", new JsonObject
                {
                    ["execution_count"] = count,
                    ["data"] = MimeBundleJson.ToJson(value),
                    ["metadata"] = new JsonObject(),
                });
            }
            return Ok(count);
        }

        var failure = result.Failure ?? new CellFailure(result.Outcome.ToString(), $"{location.Describe()} ended: {result.Outcome}.", null, []);
        return Fail(request, count, silent, failure.Kind, failure.Message, failure.Traceback);
    }

    private static JsonObject Ok(int count) => new()
    {
        ["status"] = "ok",
        ["execution_count"] = count,
        ["user_expressions"] = new JsonObject(),
        ["payload"] = new JsonArray(),
    };

    private JsonObject Fail(JupyterMessage request, int count, bool silent, string name, string message, IReadOnlyList<string> traceback)
    {
        // Frontends show the traceback, not ename/evalue. The engine's tracebacks open with the message;
        // the kernel's own failures have none, so theirs is the message.
        var lines = new JsonArray();
        foreach (var line in traceback.Count > 0 ? traceback : [$"{name}: {message}"])
            lines.Add(line);

        if (!silent)
        {
            iopub.Publish(request, "error", new JsonObject
            {
                ["ename"] = name,
                ["evalue"] = message,
                ["traceback"] = lines.DeepClone(),
            });
        }
        return new JsonObject
        {
            ["status"] = "error",
            ["execution_count"] = count,
            ["ename"] = name,
            ["evalue"] = message,
            ["traceback"] = lines,
        };
    }
}
