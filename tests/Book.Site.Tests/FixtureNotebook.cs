using System.Text.Json;
using System.Text.Json.Nodes;

namespace Book.Site.Tests;

/// <summary>
/// Builds chapter notebooks the way the book stores them: the source (nbformat 4, no outputs, book kernelspec)
/// and the runner's executed copy (nbformat 4.5, outputs and execution counts) from the same list of cells.
/// </summary>
public sealed class FixtureNotebook
{
    private readonly List<(string Type, string Source, JsonObject[] Outputs)> _cells = [];

    public FixtureNotebook Markdown(string source)
    {
        _cells.Add(("markdown", source, []));
        return this;
    }

    public FixtureNotebook Code(string source, params JsonObject[] outputs)
    {
        _cells.Add(("code", source, outputs));
        return this;
    }

    public static JsonObject Stream(string name, string text) =>
        new() { ["output_type"] = "stream", ["name"] = name, ["text"] = Lines(text) };

    public static JsonObject Display(params (string Mime, string Content)[] data) =>
        new() { ["output_type"] = "display_data", ["data"] = Bundle(data), ["metadata"] = new JsonObject() };

    /// <summary>A display whose data is JSON itself, as nbformat stores application/*+json types (a Plotly figure).</summary>
    public static JsonObject DisplayJson(string mime, JsonNode value) =>
        new() { ["output_type"] = "display_data", ["data"] = new JsonObject { [mime] = value.DeepClone() }, ["metadata"] = new JsonObject() };

    public static JsonObject Result(params (string Mime, string Content)[] data) =>
        new() { ["output_type"] = "execute_result", ["execution_count"] = 1, ["data"] = Bundle(data), ["metadata"] = new JsonObject() };

    public static JsonObject Error(string name, string value, params string[] traceback) =>
        new() { ["output_type"] = "error", ["ename"] = name, ["evalue"] = value, ["traceback"] = new JsonArray(traceback.Select(line => (JsonNode?)line).ToArray()) };

    /// <summary>The committed source: outputs cleared, execution counts null.</summary>
    public JsonObject ToSource() => ToJson(executed: false);

    /// <summary>What the headless runner writes to build/notebooks/.</summary>
    public JsonObject ToExecuted() => ToJson(executed: true);

    public static void Write(string path, JsonNode notebook)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, notebook.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    private JsonObject ToJson(bool executed)
    {
        var cells = new JsonArray();
        var count = 0;
        foreach (var (type, source, outputs) in _cells)
        {
            var cell = new JsonObject { ["cell_type"] = type, ["metadata"] = new JsonObject(), ["source"] = Lines(source) };
            if (type == "code")
            {
                cell["execution_count"] = executed ? ++count : null;
                cell["outputs"] = executed ? new JsonArray(outputs.Select(o => (JsonNode?)o.DeepClone()).ToArray()) : new JsonArray();
            }

            cells.Add(cell);
        }

        return new JsonObject
        {
            ["cells"] = cells,
            ["metadata"] = new JsonObject
            {
                ["kernelspec"] = new JsonObject { ["name"] = "csharp-book", ["display_name"] = "C# (Transformers book)", ["language"] = "C#" },
                ["language_info"] = new JsonObject { ["name"] = "C#", ["file_extension"] = ".cs", ["mimetype"] = "text/x-csharp" },
                ["polyglot_notebook"] = new JsonObject
                {
                    ["kernelInfo"] = new JsonObject
                    {
                        ["defaultKernelName"] = "csharp",
                        ["items"] = new JsonArray(new JsonObject { ["name"] = "csharp", ["languageName"] = "C#", ["aliases"] = new JsonArray() }),
                    },
                },
            },
            ["nbformat"] = 4,
            ["nbformat_minor"] = executed ? 5 : 4,
        };
    }

    private static JsonObject Bundle((string Mime, string Content)[] data) =>
        new(data.Select(d => KeyValuePair.Create(d.Mime, (JsonNode?)Lines(d.Content))));

    /// <summary>nbformat's usual multi-line form: a list of lines, each keeping its newline.</summary>
    private static JsonArray Lines(string text)
    {
        var lines = text.Split('\n');
        var array = new JsonArray();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = i < lines.Length - 1 ? lines[i] + "\n" : lines[i];
            if (line.Length > 0)
            {
                array.Add(line);
            }
        }

        return array;
    }
}
