using System.Text.Json.Nodes;
using Book.Engine.Export;
using Xunit;

namespace Book.Engine.Tests;

/// <summary>
/// A notebook's cells are script code; exported as a file-based app they must compile as one program and mean the
/// same. Each case is a difference between the two that the export handles, compiled in memory to prove it.
/// </summary>
public sealed class FileAppExportTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("book-export-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    string Notebook(params string[] cells)
    {
        var notebook = new JsonObject
        {
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
            ["metadata"] = new JsonObject { ["kernelspec"] = new JsonObject { ["name"] = "csharp-book", ["display_name"] = "C#", ["language"] = "C#" } },
            ["cells"] = new JsonArray(cells.Select((source, i) => (JsonNode?)new JsonObject
            {
                ["cell_type"] = source.StartsWith("# ", StringComparison.Ordinal) ? "markdown" : "code",
                ["id"] = $"c{i}",
                ["metadata"] = new JsonObject(),
                ["source"] = source,
                ["outputs"] = new JsonArray(),
                ["execution_count"] = null,
            }).ToArray()),
        };
        foreach (var cell in notebook["cells"]!.AsArray().Select(c => c!.AsObject()).Where(c => c["cell_type"]!.GetValue<string>() == "markdown"))
        {
            cell.Remove("outputs");
            cell.Remove("execution_count");
        }
        string path = Path.Combine(root, "chapter.ipynb");
        File.WriteAllText(path, notebook.ToJsonString());
        return path;
    }

    FileApp Export(string notebook) => FileAppExporter.Export(notebook, Path.Combine(root, "apps", "chapter.cs"), root);

    IReadOnlyList<string> Compile(FileApp app) => FileAppCompiler.Errors(app, root, TimeSpan.FromMinutes(2));

    [Fact]
    public void A_cell_ending_in_Console_WriteLine_without_a_semicolon_stays_a_statement()
    {
        var app = Export(Notebook("var n = 3;\nConsole.WriteLine($\"n = {n}\")", "n + 1"));
        Assert.Empty(Compile(app));
        Assert.Contains("Console.WriteLine($\"n = {n}\");", app.Source);
        Assert.DoesNotContain("display(Console.WriteLine", app.Source);
        Assert.Contains("display(n + 1);", app.Source);
    }

    [Fact]
    public void A_loop_variable_named_like_a_cell_variable_is_renamed_within_its_loop()
    {
        var app = Export(Notebook(
            "var a = 10;\nvar total = 0;",
            "for (int a = 0; a < 3; a++) { total += a; }\nforeach (var (a, b) in new[] { (1, 2) }) total += a * b;\nConsole.WriteLine(a + total);"));
        Assert.Empty(Compile(app));
        Assert.Contains("for (int a1 = 0; a1 < 3; a1++) { total += a1; }", app.Source);
        Assert.Contains("foreach (var (a1, b) in new[] { (1, 2) }) total += a1 * b;", app.Source);
        Assert.Contains("Console.WriteLine(a + total);", app.Source);
    }

    [Fact]
    public void Member_names_and_shadowing_lambdas_keep_their_names()
    {
        var app = Export(Notebook(
            "var x = 1;\nrecord Point(int x);",
            "for (int x = 0; x < 2; x++) { var p = new Point(x: x); Func<int, int> f = x => x + p.x; Console.WriteLine(f(x)); }"));
        Assert.Empty(Compile(app));
        Assert.Contains("for (int x1 = 0; x1 < 2; x1++) { var p = new Point(x: x1); Func<int, int> f = x => x + p.x; Console.WriteLine(f(x1)); }", app.Source);
    }

    [Fact]
    public void Static_functions_and_constants_stay_reachable_from_the_chapters_classes()
    {
        var app = Export(Notebook(
            "const int Width = 4;\nstatic int Twice(int v) => 2 * v * Width / Width;",
            "sealed class Doubler { public int Run(int v) => Twice(v) + Width; }\nnew Doubler().Run(3)"));
        Assert.Empty(Compile(app));
        Assert.Contains("static class ChapterFunctions", app.Source);
        Assert.Contains("internal static int Twice(int v)", app.Source);
        Assert.Contains("display(new Doubler().Run(3));", app.Source);
    }

    [Fact]
    public void Functions_that_read_cell_variables_stay_local_functions()
    {
        var app = Export(Notebook("var scale = 3;\ndouble Scaled(double v) => v * scale;\nScaled(2)"));
        Assert.Empty(Compile(app));
        Assert.DoesNotContain("ChapterFunctions", app.Source);
    }

    [Fact]
    public void Markdown_becomes_comments_and_usings_move_to_the_top()
    {
        var app = Export(Notebook("# The title\n\nSome *prose*.", "using System.Text.Json;\nvar json = JsonSerializer.Serialize(1);"));
        Assert.Empty(Compile(app));
        Assert.Contains("// # The title\n//\n// Some *prose*.", app.Source);
        Assert.True(app.Source.IndexOf("using System.Text.Json;", StringComparison.Ordinal) < app.Source.IndexOf("// # The title", StringComparison.Ordinal));
    }

    [Fact]
    public void A_name_declared_by_two_cells_is_refused_with_both_cells()
    {
        var e = Assert.Throws<FileAppExportException>(() => Export(Notebook("var steps = 1;", "var steps = 2;")));
        Assert.Contains("cell 2: 'steps' is declared again (first in cell 1)", e.Message);
    }

    [Fact]
    public void Packages_become_package_directives_and_the_books_library_a_project()
    {
        Directory.CreateDirectory(Path.Combine(root, "lib", "TransformersBook"));
        File.WriteAllText(Path.Combine(root, "lib", "TransformersBook", "TransformersBook.csproj"), "<Project />");
        var app = Export(Notebook("#r \"nuget: Markdig, 1.4.1\"\n#r \"artifacts/lib/TransformersBook.dll\"", "var x = 1;"));
        Assert.Contains("#:package Markdig@1.4.1\n", app.Source);
        Assert.Contains("#:project ../lib/TransformersBook/TransformersBook.csproj\n", app.Source);
        var unknown = Assert.Throws<FileAppExportException>(() => Export(Notebook("#r \"elsewhere/Other.dll\"")));
        Assert.Contains("no project of the book builds", unknown.Message);
    }

    [Fact]
    public void The_compile_check_reports_what_does_not_compile()
    {
        var app = Export(Notebook("int n = \"text\";"));
        var error = Assert.Single(Compile(app));
        Assert.Contains("CS0029", error);
    }
}
