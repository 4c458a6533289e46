using Book.Engine.Directives;
using Book.Engine.Execution;
using Xunit;

namespace Book.Engine.Tests;

/// <summary>The supported directives work; everything else is refused with notebook, cell and line.</summary>
public class DirectiveTests
{
    static readonly CellLocation Where = new("chapters/x.ipynb", 3);

    [Fact]
    public void Package_and_assembly_references_are_parsed_and_blanked_keeping_line_numbers()
    {
        var cell = CellDirectives.Parse("#!csharp\n#r \"nuget: Newtonsoft.Json, 13.0.3\"\n#r \"../lib/x.dll\"\nvar a = 1;", Where);
        Assert.Equal(new PackageReference("Newtonsoft.Json", "13.0.3"), Assert.Single(cell.Packages));
        Assert.Equal("../lib/x.dll", Assert.Single(cell.AssemblyPaths));
        Assert.Equal("\n\n\nvar a = 1;", cell.Code);
    }

    [Theory]
    [InlineData("#!fsharp\nlet x = 1", 1, "#!fsharp")]
    [InlineData("var a = 1;\n#!time", 2, "#!time")]
    [InlineData("#!import other.ipynb", 1, "#!import")]
    [InlineData("#!whatever", 1, "#!whatever")]
    [InlineData("var a = 1;\n#!csharp", 2, "must be the first line")]
    [InlineData("#i \"nuget: https://example.invalid/feed\"", 1, "#i")]
    [InlineData("#load \"helpers.csx\"", 1, "#load")]
    [InlineData("#r \"nuget: Newtonsoft.Json\"", 1, "has no version")]
    [InlineData("#r \"System.Net.Http\"", 1, "not supported")]
    [InlineData("#r nuget: X, 1.0", 1, "cannot read")]
    public void Unsupported_or_malformed_directives_are_rejected_by_name(string code, int line, string expected)
    {
        var e = Assert.Throws<DirectiveException>(() => CellDirectives.Parse(code, Where));
        Assert.Equal(line, e.Line);
        Assert.Contains($"chapters/x.ipynb, cell 3, line {line}", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Preprocessor_directives_of_csharp_itself_pass_through()
    {
        var cell = CellDirectives.Parse("#nullable enable\n#pragma warning disable CS0168\nvar a = 1;", Where);
        Assert.Contains("#nullable enable", cell.Code);
    }

    [Fact]
    public async Task A_rejected_magic_fails_the_cell_without_running_it()
    {
        using var s = new TestSession();
        var (result, sink) = await s.Run("Console.WriteLine(\"no\");\n#!time");
        Assert.Equal(CellOutcome.Failed, result.Outcome);
        Assert.Equal("DirectiveError", result.Failure!.Kind);
        Assert.Equal(2, result.Failure.Line);
        Assert.Empty(sink.Stdout);
    }

    [Fact]
    public async Task A_nuget_package_is_restored_and_usable_in_later_cells()
    {
        using var s = new TestSession();
        var (first, _) = await s.Run("#r \"nuget: Newtonsoft.Json, 13.0.3\"\nusing Newtonsoft.Json;");
        Assert.Equal(CellOutcome.Completed, first.Outcome);
        var (second, _) = await s.Run("JsonConvert.SerializeObject(new { a = 1 })");
        Assert.Equal("{\"a\":1}", second.ReturnValue!.Data["text/plain"]);
    }

    [Fact]
    public async Task A_missing_package_version_is_a_clear_error()
    {
        using var s = new TestSession();
        var (result, _) = await s.Run("#r \"nuget: Newtonsoft.Json, 0.0.42-nope\"");
        Assert.Equal(CellOutcome.Failed, result.Outcome);
        Assert.Contains("could not restore Newtonsoft.Json 0.0.42-nope", result.Failure!.Message);
        Assert.Contains("test.ipynb, cell 1", result.Failure.Message);
    }

    [Fact]
    public async Task A_relative_assembly_reference_resolves_against_the_notebook_folder()
    {
        string root = Directory.CreateTempSubdirectory("book-ref-").FullName;
        string notebookFolder = Directory.CreateDirectory(Path.Combine(root, "chapters")).FullName;
        string libFolder = Directory.CreateDirectory(Path.Combine(root, "lib")).FullName;
        TestAssemblies.Compile(Path.Combine(libFolder, "Greeter.dll"), "Greeter",
            "namespace Greeting; public static class Greeter { public static string Hello(string n) => $\"hello {n}\"; }");
        using var s = new TestSession(folder: notebookFolder);
        var (result, _) = await s.Run("#r \"../lib/Greeter.dll\"\nGreeting.Greeter.Hello(\"book\")");
        Assert.Equal(CellOutcome.Completed, result.Outcome);
        Assert.Equal("hello book", result.ReturnValue!.Data["text/plain"]);
    }

    [Fact]
    public async Task A_missing_assembly_file_is_a_clear_error()
    {
        using var s = new TestSession();
        var (result, _) = await s.Run("#r \"../nowhere/Missing.dll\"");
        Assert.Equal(CellOutcome.Failed, result.Outcome);
        Assert.Contains("Missing.dll", result.Failure!.Message);
        Assert.Contains("relative to the notebook's folder", result.Failure.Message);
    }

    [Theory]
    [InlineData(3)]      // the runtime says only "Image is too small."
    [InlineData(4096)]   // a file large enough to be read as an image, but not one
    public async Task A_file_that_is_not_an_assembly_is_an_error_naming_it(int size)
    {
        string folder = Directory.CreateTempSubdirectory("book-notdll-").FullName;
        File.WriteAllText(Path.Combine(folder, "bad.dll"), new string('x', size));
        using var s = new TestSession(folder: folder);
        var (result, _) = await s.Run("#r \"bad.dll\"");
        Assert.Equal(CellOutcome.Failed, result.Outcome);
        Assert.Contains($"#r \"bad.dll\": {Path.Combine(folder, "bad.dll")} is not a .NET assembly", result.Failure!.Message);
        Assert.Contains("test.ipynb, cell 1", result.Failure.Message);
    }
}

