using System.Text;
using System.Text.Json.Nodes;
using Book.Engine.Notebooks;
using Xunit;

namespace Book.Engine.Tests;

/// <summary>
/// A notebook that is valid JSON but not valid nbformat, or not UTF-8, is refused when read with an error that names
/// the file and the field, instead of failing somewhere inside a run (or silently changing the text).
/// </summary>
public class NotebookFormatTests
{
    /// <summary>ok.ipynb with one change made to its JSON, written to a temporary file.</summary>
    static string Variant(Action<JsonObject> change)
    {
        var root = JsonNode.Parse(File.ReadAllText(BookTool.NotebookPath("ok.ipynb")))!.AsObject();
        change(root);
        string path = Path.Combine(Directory.CreateTempSubdirectory("book-format-").FullName, "typed.ipynb");
        File.WriteAllText(path, root.ToJsonString());
        return path;
    }

    static JsonObject Cell(JsonObject root, int index) => root["cells"]![index]!.AsObject();

    public static TheoryData<string, string> WronglyTypedFields() => new()
    {
        { "source", "cell 2 has \"source\": 42 (a number); it must be a string or a list of strings" },
        { "source-line", "cell 2 has \"source\": [\"var a = 1;\\n\",7] (a list); it must be a string or a list of strings" },
        { "id", "cell 2 has \"id\": 7 (a number); it must be a string" },
        { "kernelspec-name", "has \"metadata.kernelspec.name\": 3 (a number); it must be a string" },
        { "kernelspec-language", "has \"metadata.kernelspec.language\": 1 (a number); it must be a string" },
        { "language_info-name", "has \"metadata.language_info.name\": 5 (a number); it must be a string" },
        { "nbformat", "is not an nbformat 4 notebook (\"nbformat\": 4 is required, found 4.0 (a number))" },
        { "nbformat_minor", "has \"nbformat_minor\": \"5\"; it must be a whole number, 0 or more" },
        { "metadata", "has \"metadata\": [] (a list); it must be an object" },
    };

    static void Apply(string field, JsonObject root)
    {
        switch (field)
        {
            case "source": Cell(root, 1)["source"] = 42; break;
            case "source-line": Cell(root, 1)["source"] = new JsonArray("var a = 1;\n", 7); break;
            case "id": Cell(root, 1)["id"] = 7; break;
            case "kernelspec-name": root["metadata"]!["kernelspec"]!["name"] = 3; break;
            case "kernelspec-language": root["metadata"]!["kernelspec"]!["language"] = 1; break;
            case "language_info-name": root["metadata"]!["language_info"]!["name"] = 5; break;
            case "nbformat": root["nbformat"] = JsonNode.Parse("4.0"); break;
            case "nbformat_minor": root["nbformat_minor"] = "5"; break;
            case "metadata": root["metadata"] = new JsonArray(); break;
            default: throw new ArgumentException(field);
        }
    }

    [Theory]
    [MemberData(nameof(WronglyTypedFields))]
    public void A_wrongly_typed_field_is_a_format_error_naming_the_file_and_the_field(string field, string expected)
    {
        string path = Variant(root => Apply(field, root));
        var error = Assert.Throws<NotebookFormatException>(() => NotebookDocument.Load(path));
        Assert.Equal($"{path} {expected}.", error.Message);
    }

    [Fact]
    public void Book_run_reports_a_wrongly_typed_field_as_an_invalid_notebook_instead_of_crashing()
    {
        string path = Variant(root => Cell(root, 1)["source"] = 42);
        string dir = Path.GetDirectoryName(path)!;
        var (code, output) = BookTool.Run(dir, "run", "typed.ipynb", "--out", Path.Combine(dir, "out"));
        Assert.Equal(1, code);
        Assert.Contains("invalid", output);
        Assert.Contains("typed.ipynb cell 2 has \"source\": 42 (a number)", output);
        Assert.DoesNotContain("crashed", output);
    }

    [Fact]
    public void Bytes_that_are_not_UTF8_are_an_error_naming_the_file_not_replaced()
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("book-utf8-").FullName, "latin1.ipynb");
        string text = File.ReadAllText(BookTool.NotebookPath("ok.ipynb")).Replace("A small notebook", "A small notebook \u00e9");
        // Latin-1, as an editor set to another encoding would save it: é is the single byte 0xE9.
        byte[] bytes = Encoding.Latin1.GetBytes(text);
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<NotebookFormatException>(() => NotebookDocument.Load(path));
        Assert.StartsWith($"{path} is not valid UTF-8: byte {Array.IndexOf(bytes, (byte)0xE9) + 1} (0xE9)", error.Message);
    }

    [Fact]
    public void A_UTF8_notebook_with_a_byte_order_mark_still_loads()
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("book-bom-").FullName, "bom.ipynb");
        File.WriteAllText(path, File.ReadAllText(BookTool.NotebookPath("ok.ipynb")).Replace("A small notebook", "A small notebook é"), new UTF8Encoding(true));
        Assert.Contains("A small notebook é", NotebookDocument.Load(path).CellSource(0));
    }
}
