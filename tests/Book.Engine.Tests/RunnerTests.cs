using System.Text.Json.Nodes;
using Xunit;

namespace Book.Engine.Tests;

/// <summary>`book run`: executed copies in a build folder, one process per notebook, failures reported and survived.</summary>
public class RunnerTests
{
    static JsonNode Executed(string outDir, string name) => JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, name)))!;

    static string Copy(string dir, params string[] names)
    {
        foreach (var n in names) File.Copy(BookTool.NotebookPath(n), Path.Combine(dir, n));
        return dir;
    }

    [Fact]
    public void Executes_a_notebook_into_the_build_folder_without_touching_the_source()
    {
        string dir = Copy(Directory.CreateTempSubdirectory("book-run-").FullName, "ok.ipynb");
        string source = Path.Combine(dir, "ok.ipynb");
        byte[] before = File.ReadAllBytes(source);
        string outDir = Path.Combine(dir, "out");
        var (code, output) = BookTool.Run(dir, "run", source, "--out", outDir);
        Assert.True(code == 0, output);
        Assert.Equal(before, File.ReadAllBytes(source));

        var notebook = Executed(outDir, "ok.ipynb");
        Assert.Equal(5, notebook["nbformat_minor"]!.GetValue<int>());
        var cells = notebook["cells"]!.AsArray();
        Assert.Equal("hello from a cell\n", cells[1]!["outputs"]![0]!["text"]!.GetValue<string>());
        // The display made in cell 3 and updated in cell 4 shows its last value where it was made.
        var display = cells[2]!["outputs"]![0]!;
        Assert.Equal("display_data", display["output_type"]!.GetValue<string>());
        Assert.Equal("step 3 of 3", display["data"]!["text/plain"]!.GetValue<string>());
        var result = cells[3]!["outputs"]![0]!;
        Assert.Equal("execute_result", result["output_type"]!.GetValue<string>());
        Assert.Equal("6", result["data"]!["text/plain"]!.GetValue<string>());
        Assert.Equal(3, result["execution_count"]!.GetValue<int>());
        Assert.All(cells, c => Assert.False(string.IsNullOrEmpty(c!["id"]?.GetValue<string>())));
        Assert.Equal("passed", notebook["metadata"]!["book"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public void An_unchanged_notebook_is_not_run_again_unless_forced()
    {
        string dir = Copy(Directory.CreateTempSubdirectory("book-cache-").FullName, "ok.ipynb");
        string outDir = Path.Combine(dir, "out");
        Assert.Equal(0, BookTool.Run(dir, "run", "ok.ipynb", "--out", outDir).ExitCode);
        var (_, second) = BookTool.Run(dir, "run", "ok.ipynb", "--out", outDir);
        Assert.Contains("cached", second);
        var (_, forced) = BookTool.Run(dir, "run", "ok.ipynb", "--out", outDir, "--force");
        Assert.Contains("passed", forced);
        // A changed notebook runs again.
        File.AppendAllText(Path.Combine(dir, "ok.ipynb"), " ");
        Assert.Contains("passed", BookTool.Run(dir, "run", "ok.ipynb", "--out", outDir).Output);
        // So does the same notebook in another profile.
        Assert.Contains("passed", BookTool.Run(dir, "run", "ok.ipynb", "--out", outDir, "--profile", "smoke").Output);
    }

    [Fact]
    public void Bad_notebooks_are_reported_one_by_one_and_the_batch_goes_on_and_fails()
    {
        string dir = Copy(Directory.CreateTempSubdirectory("book-bad-").FullName,
            "malformed.ipynb", "python.ipynb", "failing.ipynb", "endless.ipynb", "crash.ipynb", "ok.ipynb");
        string outDir = Path.Combine(dir, "out");
        var (code, output) = BookTool.Run(dir, "run", "malformed.ipynb", "python.ipynb", "failing.ipynb", "endless.ipynb", "crash.ipynb", "ok.ipynb",
            "--out", outDir, "--notebook-timeout", "0.25");
        Assert.Equal(1, code);
        Assert.Contains("malformed.ipynb is not valid JSON", output);
        Assert.Contains("is for kernel 'python3' (language 'python'), not C#", output);
        Assert.Contains("failing.ipynb, cell 2, line 2: System.IndexOutOfRangeException", output);
        Assert.Contains("endless.ipynb: did not finish within 15 s", output);
        Assert.Contains("crash.ipynb, cell 1: the process running it ended with exit code", output);
        Assert.Contains("6 notebooks: 1 passed, 0 cached, 5 failed", output);

        // The failing notebook keeps the output before the error and the error itself; later cells are not run.
        var cells = Executed(outDir, "failing.ipynb")["cells"]!.AsArray();
        Assert.Equal("before\n", cells[0]!["outputs"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("error", cells[1]!["outputs"]![0]!["output_type"]!.GetValue<string>());
        Assert.Empty(cells[2]!["outputs"]!.AsArray());
    }

    [Fact]
    public void A_cell_time_limit_stops_the_notebook_with_a_timed_out_status()
    {
        string dir = Copy(Directory.CreateTempSubdirectory("book-cell-").FullName, "endless.ipynb");
        var (code, output) = BookTool.Run(dir, "run", "endless.ipynb", "--out", Path.Combine(dir, "out"), "--cell-timeout", "1");
        Assert.Equal(1, code);
        Assert.Contains("timedout", output);
        Assert.Contains("endless.ipynb, cell 1: the cell timed out after 1 s and is still running", output);
    }

    [Fact]
    public void A_TorchSharp_notebook_trains_on_this_machine()
    {
        string dir = Copy(Directory.CreateTempSubdirectory("book-torch-").FullName, "torch-training.ipynb");
        string outDir = Path.Combine(dir, "out");
        var (code, output) = BookTool.Run(dir, "run", "torch-training.ipynb", "--out", outDir);
        Assert.True(code == 0, output);
        var cells = Executed(outDir, "torch-training.ipynb")["cells"]!.AsArray();
        string training = string.Concat(cells[2]!["outputs"]!.AsArray().Select(o => o!["text"]?.GetValue<string>()));
        Assert.Matches(@"loss \d+\.\d{3} -> \d+\.\d{4}", training);
        Assert.Equal("4", cells[3]!["outputs"]![0]!["data"]!["text/plain"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("--cell-timeout", "-1")]
    [InlineData("--cell-timeout", "0")]
    [InlineData("--cell-timeout", "1e12")]
    [InlineData("--cell-timeout", "NaN")]
    [InlineData("--notebook-timeout", "-1")]
    [InlineData("--notebook-timeout", "1e12")]
    public void An_unusable_time_limit_is_refused_before_anything_runs(string option, string value)
    {
        string dir = Copy(Directory.CreateTempSubdirectory("book-limit-").FullName, "ok.ipynb");
        string outDir = Path.Combine(dir, "out");
        var (code, output) = BookTool.Run(dir, "run", "ok.ipynb", "--out", outDir, option, value);
        Assert.Equal(2, code);
        Assert.Contains($"book run: {option} ", output);
        Assert.Contains("is not a usable limit", output);
        Assert.DoesNotContain("   at ", output); // no stack trace
        Assert.False(Directory.Exists(outDir));
    }
}

