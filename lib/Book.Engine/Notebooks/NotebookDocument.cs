using System.Text.Json;
using System.Text.Json.Nodes;

namespace Book.Engine.Notebooks;

/// <summary>
/// An nbformat 4 notebook held as JSON, so metadata the engine does not know about survives a round trip.
/// Reading validates what execution relies on and names the file in every error.
/// </summary>
public sealed class NotebookDocument
{
    readonly JsonObject root;

    NotebookDocument(JsonObject root, string path)
    {
        this.root = root;
        Path = path;
    }

    public string Path { get; }

    public static NotebookDocument Load(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (IOException e) { throw new NotebookFormatException(path, $"cannot be read: {e.Message}"); }
        return Parse(text, path);
    }

    public static NotebookDocument Parse(string json, string path)
    {
        JsonNode? node;
        try { node = JsonNode.Parse(json); }
        catch (JsonException e)
        {
            throw new NotebookFormatException(path, $"is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message}");
        }
        if (node is not JsonObject root) throw new NotebookFormatException(path, "is not a JSON object.");
        if (root["nbformat"]?.GetValueKind() != JsonValueKind.Number || root["nbformat"]!.GetValue<int>() != 4)
            throw new NotebookFormatException(path, "is not an nbformat 4 notebook (\"nbformat\": 4 is required).");
        if (root["cells"] is not JsonArray cells) throw new NotebookFormatException(path, "has no \"cells\" array.");
        for (int i = 0; i < cells.Count; i++)
        {
            if (cells[i] is not JsonObject cell || cell["cell_type"]?.GetValueKind() != JsonValueKind.String)
                throw new NotebookFormatException(path, $"cell {i + 1} has no cell_type.");
        }
        return new NotebookDocument(root, path);
    }

    JsonArray CellArray => (JsonArray)root["cells"]!;

    public int CellCount => CellArray.Count;

    public string CellType(int index) => CellArray[index]!["cell_type"]!.GetValue<string>();

    /// <summary>A cell's source, joined when stored as a list of lines (both forms are valid nbformat).</summary>
    public string CellSource(int index) => JoinSource(CellArray[index]!["source"]);

    public static string JoinSource(JsonNode? source) => source switch
    {
        null => "",
        JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>() ?? "")),
        JsonValue value => value.GetValue<string>(),
        _ => "",
    };

    public IEnumerable<int> CodeCells() => Enumerable.Range(0, CellCount).Where(i => CellType(i) == "code");

    /// <summary>The kernelspec name and language, used to refuse notebooks written for another kernel.</summary>
    public (string? Name, string? Language) KernelSpec
    {
        get
        {
            var spec = root["metadata"]?["kernelspec"];
            string? language = spec?["language"]?.GetValue<string>() ?? root["metadata"]?["language_info"]?["name"]?.GetValue<string>();
            return (spec?["name"]?.GetValue<string>(), language);
        }
    }

    public static readonly string[] CSharpKernelNames = { "csharp-book", ".net-csharp" };

    /// <summary>Null when the notebook is for C#, else why it is not.</summary>
    public string? WhyNotCSharp()
    {
        var (name, language) = KernelSpec;
        if (name is null && language is null) return null; // no kernelspec: assume the book's kernel
        bool csharpLanguage = language is not null && (language.Equals("C#", StringComparison.OrdinalIgnoreCase) || language.Equals("csharp", StringComparison.OrdinalIgnoreCase));
        if (name is not null && CSharpKernelNames.Contains(name)) return null;
        if (csharpLanguage && name is null) return null;
        return $"is for kernel '{name ?? "?"}' (language '{language ?? "?"}'), not C#; the book runs C# notebooks only.";
    }

    /// <summary>A deep copy, to be filled with outputs while the source document stays untouched.</summary>
    public NotebookDocument Clone(string path) => new((JsonObject)root.DeepClone(), path);

    public void SetOutputs(int index, IReadOnlyList<JsonObject> outputs, int? executionCount)
    {
        var cell = (JsonObject)CellArray[index]!;
        var array = new JsonArray();
        foreach (var o in outputs) array.Add(o.DeepClone());
        cell["outputs"] = array;
        cell["execution_count"] = executionCount is int n ? JsonValue.Create(n) : null;
    }

    /// <summary>Clears outputs and counts, and gives every cell the id nbformat 4.5 requires.</summary>
    public void PrepareForExecution()
    {
        root["nbformat_minor"] = Math.Max(5, root["nbformat_minor"]?.GetValue<int>() ?? 0);
        var ids = new HashSet<string>();
        for (int i = 0; i < CellCount; i++)
        {
            var cell = (JsonObject)CellArray[i]!;
            string? id = cell["id"]?.GetValue<string>();
            if (id is null || !ids.Add(id))
            {
                id = $"cell-{i + 1}";
                while (!ids.Add(id)) id += "x";
                cell["id"] = id;
            }
            cell["metadata"] ??= new JsonObject();
            if (CellType(i) == "code")
            {
                cell["outputs"] = new JsonArray();
                cell["execution_count"] = null;
            }
            else
            {
                cell.Remove("outputs");
                cell.Remove("execution_count");
            }
        }
    }

    public JsonObject Metadata => (JsonObject)(root["metadata"] ??= new JsonObject());

    public string ToJson() => Format(root);

    /// <summary>How an executed copy is written: indented JSON ending in a line break (also for copies edited as plain JSON).</summary>
    public static string Format(JsonNode notebookRoot) => notebookRoot.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";

    /// <summary>The notebook on one line: JSON escapes every line break inside strings.</summary>
    public string ToCompactJson() => root.ToJsonString();

    public void Save(string path)
    {
        Running.AtomicFile.WriteAllText(path, ToJson());
    }
}

public sealed class NotebookFormatException(string path, string problem) : Exception($"{path} {problem}")
{
    public string NotebookPath { get; } = path;
}
