using System.Text.Json;
using System.Text.Json.Nodes;

namespace Book.Site;

/// <summary>One cell of a notebook: its 1-based position, type ("code", "markdown", "raw"), joined source and raw JSON.</summary>
public sealed record NotebookCell(int Number, string CellType, string Source, JsonObject Json)
{
    /// <summary>The outputs of a code cell as written by the runner; empty for other cells.</summary>
    public IReadOnlyList<JsonObject> Outputs =>
        Json["outputs"] is JsonArray outputs ? outputs.OfType<JsonObject>().ToList() : [];
}

/// <summary>A .ipynb file read as JSON (nbformat 4); keeps the raw JSON so that checks can look at any field.</summary>
public sealed class NotebookFile
{
    private NotebookFile(string path, JsonObject root, IReadOnlyList<NotebookCell> cells)
    {
        Path = path;
        Root = root;
        Cells = cells;
    }

    public string Path { get; }

    public JsonObject Root { get; }

    public IReadOnlyList<NotebookCell> Cells { get; }

    public int? NbFormat => Root["nbformat"] is JsonValue value && value.TryGetValue<int>(out var format) ? format : null;

    /// <summary>Parses the file; throws <see cref="NotebookFormatException"/> naming the file when it is not a notebook.</summary>
    public static NotebookFile Load(string path)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new NotebookFormatException(path, $"not valid JSON ({e.Message})");
        }

        if (node is not JsonObject root)
        {
            throw new NotebookFormatException(path, "the top level is not a JSON object.");
        }

        if (root["cells"] is not JsonArray cellArray)
        {
            throw new NotebookFormatException(path, "there is no 'cells' array.");
        }

        var cells = new List<NotebookCell>();
        foreach (var (cellNode, index) in cellArray.Select((c, i) => (c, i)))
        {
            if (cellNode is not JsonObject cell || StringOf(cell["cell_type"]) is not { } cellType)
            {
                throw new NotebookFormatException(path, $"cell {index + 1} has no 'cell_type'.");
            }

            cells.Add(new NotebookCell(index + 1, cellType, JoinText(cell["source"]), cell));
        }

        return new NotebookFile(path, root, cells);
    }

    /// <summary>A JSON string's value, or null for anything else (missing, null, a number, …).</summary>
    public static string? StringOf(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    /// <summary>nbformat stores multi-line text either as one string or as a list of lines; this joins both forms.</summary>
    public static string JoinText(JsonNode? node) => node switch
    {
        JsonArray lines => string.Concat(lines.Select(line => line?.GetValueKind() == JsonValueKind.String ? line.GetValue<string>() : "")),
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => "",
    };
}
