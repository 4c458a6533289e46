using System.Text.Json;
using System.Text.Json.Nodes;
using Book.Native;

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

    // Strict: a byte that is not UTF-8 is an error, not a replacement character silently written into the executed copy.
    static readonly System.Text.UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static NotebookDocument Load(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (IOException e) { throw new NotebookFormatException(path, $"cannot be read: {e.Message}"); }
        catch (UnauthorizedAccessException e) { throw new NotebookFormatException(path, $"cannot be read: {e.Message}"); }
        int start = bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        string text;
        try { text = StrictUtf8.GetString(bytes, start, bytes.Length - start); }
        catch (System.Text.DecoderFallbackException e)
        {
            int at = FirstInvalidUtf8(bytes, start);
            throw new NotebookFormatException(path, $"is not valid UTF-8: byte {at + 1} (0x{bytes[at]:X2}) does not belong to a UTF-8 character ({e.Message.TrimEnd('.')}). Notebooks are UTF-8 JSON; re-save it as UTF-8.");
        }
        return Parse(text, path);
    }

    /// <summary>The offset of the first byte that does not start or continue a valid UTF-8 sequence.</summary>
    static int FirstInvalidUtf8(byte[] bytes, int start)
    {
        var span = bytes.AsSpan(start);
        System.Text.Unicode.Utf8.ToUtf16(span, new char[span.Length], out int read, out _, replaceInvalidSequences: false);
        return start + Math.Min(read, span.Length - 1);
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
        if (!IsInteger(root["nbformat"], out long major) || major != 4)
            throw new NotebookFormatException(path, $"is not an nbformat 4 notebook (\"nbformat\": 4 is required{Found(root["nbformat"])}).");
        if (root["nbformat_minor"] is { } minor && (!IsInteger(minor, out long m) || m < 0))
            throw new NotebookFormatException(path, $"has \"nbformat_minor\": {minor.ToJsonString()}; it must be a whole number, 0 or more.");
        CheckMetadata(root, path);
        if (root["cells"] is not JsonArray cells) throw new NotebookFormatException(path, "has no \"cells\" array.");
        for (int i = 0; i < cells.Count; i++)
        {
            if (cells[i] is not JsonObject cell || cell["cell_type"]?.GetValueKind() != JsonValueKind.String)
                throw new NotebookFormatException(path, $"cell {i + 1} has no cell_type.");
            CheckCell(cell, i, path);
        }
        return new NotebookDocument(root, path);
    }

    // What execution, the kernel check and the site read must have the type nbformat gives it: a number where a string
    // belongs would otherwise throw deep inside a run, far from the file and field that are wrong.
    static void CheckMetadata(JsonObject root, string path)
    {
        if (root["metadata"] is not { } metadata) return;
        if (metadata is not JsonObject) throw new NotebookFormatException(path, $"has \"metadata\": {Kind(metadata)}; it must be an object.");
        foreach (var section in new[] { "kernelspec", "language_info" })
        {
            if (metadata[section] is not { } value) continue;
            if (value is not JsonObject fields) throw new NotebookFormatException(path, $"has \"metadata.{section}\": {Kind(value)}; it must be an object.");
            foreach (var (name, field) in fields)
                if (name is "name" or "language" or "display_name" && field is not null && field.GetValueKind() != JsonValueKind.String)
                    throw new NotebookFormatException(path, $"has \"metadata.{section}.{name}\": {Kind(field)}; it must be a string.");
        }
    }

    static void CheckCell(JsonObject cell, int index, string path)
    {
        string where = $"cell {index + 1}";
        if (cell["id"] is { } id && id.GetValueKind() != JsonValueKind.String)
            throw new NotebookFormatException(path, $"{where} has \"id\": {Kind(id)}; it must be a string.");
        var source = cell["source"];
        bool sourceOk = source is null || source.GetValueKind() == JsonValueKind.String
            || source is JsonArray lines && lines.All(l => l?.GetValueKind() == JsonValueKind.String);
        if (!sourceOk) throw new NotebookFormatException(path, $"{where} has \"source\": {Kind(source!)}; it must be a string or a list of strings.");
        if (cell["metadata"] is { } metadata && metadata is not JsonObject)
            throw new NotebookFormatException(path, $"{where} has \"metadata\": {Kind(metadata)}; it must be an object.");
        if (cell["outputs"] is { } outputs && outputs is not JsonArray)
            throw new NotebookFormatException(path, $"{where} has \"outputs\": {Kind(outputs)}; it must be a list.");
    }

    static bool IsInteger(JsonNode? node, out long value)
    {
        value = 0;
        // 4.0 is a number but not the integer nbformat requires (Jupyter refuses it too).
        return node?.GetValueKind() == JsonValueKind.Number && node.AsValue().TryGetValue(out value);
    }

    static string Found(JsonNode? node) => node is null ? "" : $", found {Kind(node)}";

    /// <summary>"42 (a number)", for messages that name what was found.</summary>
    static string Kind(JsonNode node)
    {
        string kind = node.GetValueKind() switch
        {
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            JsonValueKind.Array => "a list",
            JsonValueKind.Object => "an object",
            _ => "null",
        };
        string text = node.ToJsonString();
        return text.Length <= 40 ? $"{text} ({kind})" : kind;
    }

    JsonArray CellArray => (JsonArray)root["cells"]!;

    public int CellCount => CellArray.Count;

    public string CellType(int index) => CellArray[index]!["cell_type"]!.GetValue<string>();

    /// <summary>A cell's source, joined when stored as a list of lines (both forms are valid nbformat).</summary>
    public string CellSource(int index) => JoinSource(CellArray[index]!["source"]);

    public static string JoinSource(JsonNode? source) => JsonText.Join(source);

    /// <summary>The notebook's JSON, for checks that look at any field.</summary>
    public JsonObject Root => root;

    /// <summary>Every cell with its 1-based number, type, joined source and JSON.</summary>
    public IReadOnlyList<NotebookCell> Cells =>
        Enumerable.Range(0, CellCount).Select(i => new NotebookCell(i + 1, CellType(i), CellSource(i), (JsonObject)CellArray[i]!)).ToList();

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

    public static readonly string[] CSharpKernelNames = KernelNames.CSharp;

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
