using System.Text.Json.Nodes;

namespace Book.Engine.Notebooks;

/// <summary>One cell of a notebook: its 1-based position, type ("code", "markdown", "raw"), joined source and raw JSON.</summary>
public sealed record NotebookCell(int Number, string CellType, string Source, JsonObject Json)
{
    /// <summary>The outputs of a code cell as written by the runner; empty for other cells.</summary>
    public IReadOnlyList<JsonObject> Outputs =>
        Json["outputs"] is JsonArray outputs ? outputs.OfType<JsonObject>().ToList() : [];
}
