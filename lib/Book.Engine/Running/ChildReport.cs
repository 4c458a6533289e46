using System.Text.Json.Nodes;

namespace Book.Engine.Running;

/// <summary>
/// What the <c>run-one</c> child tells its parent while a notebook runs, one compact JSON line per event on stdout:
/// that it started (and where it collects claims), each cell as it starts, and each cell's outputs once it finishes.
/// A process can die in ways no catch block sees (<c>Environment.Exit</c> in a cell, a stack overflow, an exception
/// on a background thread); the parent then still has every finished cell's outputs and knows which cell was running.
/// </summary>
public sealed class ChildReporter
{
    /// <summary>Starts every event line; the rest of the line is one JSON object.</summary>
    public const string Marker = "BOOK-EVENT ";

    readonly TextWriter channel;
    readonly object gate = new();
    NotebookOutputCollector? collector;
    int? runningCell;
    bool finished;

    /// <param name="channel">The process's real stdout (cells' console output is captured elsewhere); flushed after every line.</param>
    public ChildReporter(TextWriter channel)
    {
        this.channel = channel;
        // Runs on the thread that threw, before the runtime ends the process: the last chance to say where it happened.
        AppDomain.CurrentDomain.UnhandledException += (_, e) => Fault(e.ExceptionObject);
        // Environment.Exit in a cell: what the cell printed before it is kept.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            lock (gate) if (finished || runningCell is null) return;
            SendOutputs(null);
        };
    }

    public void Started(string claimsFile, NotebookOutputCollector outputs)
    {
        collector = outputs;
        Send(new JsonObject { ["event"] = "started", ["claims_file"] = claimsFile });
    }

    public void CellStarting(int cellIndex, int executionCount)
    {
        lock (gate) runningCell = cellIndex;
        Send(new JsonObject { ["event"] = "cell", ["cell"] = cellIndex, ["execution_count"] = executionCount });
    }

    public void CellFinished(int cellIndex)
    {
        lock (gate) runningCell = null;
        SendOutputs(cellIndex);
    }

    /// <summary>The run is over and its result follows by the ordinary way; later faults are not the notebook's.</summary>
    public void Finished()
    {
        lock (gate) finished = true;
    }

    void Fault(object exception)
    {
        int? cell;
        lock (gate)
        {
            if (finished) return;
            cell = runningCell;
        }
        // What the running cell printed before the fault is kept too.
        SendOutputs(null);
        string what = exception is Exception e ? $"{e.GetType().FullName}: {e.Message}" : exception.ToString() ?? "?";
        Send(new JsonObject
        {
            ["event"] = "fault",
            ["cell"] = cell,
            ["message"] = $"an exception thrown on another thread was not handled, which ends the process: {what}",
        });
    }

    void SendOutputs(int? finishedCell)
    {
        if (collector is null) return;
        var cells = new JsonArray();
        foreach (int index in collector.TakeChanged())
        {
            var outputs = new JsonArray();
            foreach (var output in collector.Outputs(index)) outputs.Add(output.DeepClone());
            cells.Add(new JsonObject { ["cell"] = index, ["outputs"] = outputs });
        }
        Send(new JsonObject { ["event"] = "outputs", ["cells"] = cells, ["finished"] = finishedCell });
    }

    void Send(JsonObject message)
    {
        lock (gate)
        {
            try
            {
                // A line break first: text a stray thread wrote without one must not swallow the marker.
                channel.Write("\n" + Marker + message.ToJsonString() + "\n");
                channel.Flush();
            }
            catch (IOException) { } // the parent is gone; the stdin watcher ends this process
        }
    }
}

/// <summary>The parent's view of a child's events: what it had finished, which cell was running, and any fault it reported.</summary>
public sealed class ChildReport
{
    readonly Dictionary<int, JsonArray> outputs = new();
    readonly List<(int Cell, int ExecutionCount)> started = new();
    readonly HashSet<int> finished = new();

    public string? ClaimsFile { get; private set; }
    /// <summary>The cell that had started and not finished when the events ended, if any.</summary>
    public int? RunningCell => started.Count > 0 && !finished.Contains(started[^1].Cell) ? started[^1].Cell : null;
    /// <summary>The cell that ran last, finished or not.</summary>
    public int? LastCell => started.Count > 0 ? started[^1].Cell : null;
    public int CellsStarted => started.Count;
    public (int? Cell, string Message)? Fault { get; private set; }
    public IReadOnlyList<(int Cell, int ExecutionCount)> Started => started;
    public JsonArray? OutputsOf(int cell) => outputs.GetValueOrDefault(cell);

    public static ChildReport Read(IEnumerable<string> lines)
    {
        var report = new ChildReport();
        foreach (var line in lines)
        {
            if (!line.StartsWith(ChildReporter.Marker, StringComparison.Ordinal)) continue;
            JsonObject? e;
            try { e = JsonNode.Parse(line.AsSpan(ChildReporter.Marker.Length).TrimEnd('\r').ToString()) as JsonObject; }
            catch (System.Text.Json.JsonException) { continue; } // cut off by the process's death
            if (e is null) continue;
            switch (e["event"]?.GetValue<string>())
            {
                case "started":
                    report.ClaimsFile = e["claims_file"]?.GetValue<string>();
                    break;
                case "cell":
                    report.started.Add((e["cell"]!.GetValue<int>(), e["execution_count"]!.GetValue<int>()));
                    break;
                case "outputs":
                    foreach (var cell in e["cells"]!.AsArray())
                        report.outputs[cell!["cell"]!.GetValue<int>()] = (JsonArray)cell["outputs"]!.DeepClone();
                    if (e["finished"] is JsonNode done) report.finished.Add(done.GetValue<int>());
                    break;
                case "fault":
                    report.Fault = (e["cell"]?.GetValue<int>(), e["message"]!.GetValue<string>());
                    break;
            }
        }
        return report;
    }
}
