using System.Text;
using System.Text.Json.Nodes;

namespace Book.Engine.Running;

/// <summary>
/// Collects a notebook's outputs in nbformat 4.5 shape while it runs. Consecutive text on one stream is merged,
/// and an update to a display replaces that display wherever it was first shown (also in an earlier cell),
/// which is what a Jupyter front end does with update_display_data.
/// </summary>
public sealed class NotebookOutputCollector : ICellOutputSink
{
    readonly object gate = new();
    readonly Dictionary<int, List<JsonObject>> outputsByCell = new();
    // Where each display was shown: an update changes those outputs and so those cells.
    readonly Dictionary<string, List<(int Cell, JsonObject Output)>> displaysById = new();
    // A stream output's text grows in a builder and becomes a string once, when the outputs are read:
    // re-concatenating the accumulated text on every line made a cell printing n bytes cost O(n²).
    readonly Dictionary<JsonObject, StringBuilder> streamText = new(ReferenceEqualityComparer.Instance);
    // Cells whose outputs changed since TakeChanged last ran, so a run can report them as it goes.
    readonly SortedSet<int> changed = new();
    List<JsonObject> current = new();
    int currentCell = -1;

    public void BeginCell(int cellIndex)
    {
        lock (gate)
        {
            current = new List<JsonObject>();
            currentCell = cellIndex;
            outputsByCell[cellIndex] = current;
            changed.Add(cellIndex);
        }
    }

    /// <summary>The cells whose outputs changed since the last call (the running one, and earlier ones whose displays were updated), in order.</summary>
    public IReadOnlyList<int> TakeChanged()
    {
        lock (gate)
        {
            var cells = changed.ToList();
            changed.Clear();
            return cells;
        }
    }

    public IReadOnlyList<JsonObject> Outputs(int cellIndex)
    {
        lock (gate)
        {
            if (!outputsByCell.TryGetValue(cellIndex, out var list)) return new List<JsonObject>();
            foreach (var output in list)
                if (streamText.TryGetValue(output, out var text)) output["text"] = text.ToString();
            return list.ToList();
        }
    }

    public void WriteStream(StreamName stream, string text)
    {
        string name = stream == StreamName.Stdout ? "stdout" : "stderr";
        lock (gate)
        {
            if (current.Count > 0 && streamText.TryGetValue(current[^1], out var last) && current[^1]["name"]!.GetValue<string>() == name)
            {
                last.Append(text);
                changed.Add(currentCell);
                return;
            }
            var output = new JsonObject { ["output_type"] = "stream", ["name"] = name, ["text"] = "" };
            current.Add(output);
            changed.Add(currentCell);
            streamText[output] = new StringBuilder(text);
        }
    }

    public void WriteDisplay(MimeBundle bundle, string displayId, bool isUpdate)
    {
        lock (gate)
        {
            if (isUpdate)
            {
                // Jupyter ignores updates to ids it never displayed; so do we.
                if (!displaysById.TryGetValue(displayId, out var shown)) return;
                foreach (var (cell, output) in shown)
                {
                    output["data"] = MimeBundleJson.ToJson(bundle);
                    changed.Add(cell);
                }
                return;
            }
            var display = new JsonObject
            {
                ["output_type"] = "display_data",
                ["data"] = MimeBundleJson.ToJson(bundle),
                ["metadata"] = new JsonObject(),
            };
            current.Add(display);
            changed.Add(currentCell);
            if (!displaysById.TryGetValue(displayId, out var list)) displaysById[displayId] = list = new();
            list.Add((currentCell, display));
        }
    }

    public void AddResult(MimeBundle bundle, int executionCount)
    {
        lock (gate)
        {
            current.Add(new JsonObject
            {
                ["output_type"] = "execute_result",
                ["execution_count"] = executionCount,
                ["data"] = MimeBundleJson.ToJson(bundle),
                ["metadata"] = new JsonObject(),
            });
            changed.Add(currentCell);
        }
    }

    public void AddError(CellFailure failure)
    {
        lock (gate)
        {
            var traceback = new JsonArray();
            foreach (var line in failure.Traceback) traceback.Add(line);
            current.Add(new JsonObject
            {
                ["output_type"] = "error",
                ["ename"] = failure.Kind,
                ["evalue"] = failure.Message,
                ["traceback"] = traceback,
            });
            changed.Add(currentCell);
        }
    }
}
