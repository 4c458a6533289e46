using System.Text.Json;

namespace Book.Kernel.Tests.Integration;

/// <summary>`jupyter nbconvert --execute` on the notebooks in notebooks/, then nbformat's own validation of the result.</summary>
[Collection(JupyterCollection.Name)]
public sealed class NbconvertTests(InstalledKernelSpec kernelSpec)
{
    [JupyterFact]
    public void Executed_notebook_holds_every_kind_of_output_and_is_valid()
    {
        var cells = ExecuteAndValidate("outputs.ipynb");

        Assert.Equal("hello from C#\n", Text(Output(cells[1], "stream").GetProperty("text")));
        var result = Output(cells[2], "execute_result");
        Assert.Equal("42", Text(result.GetProperty("data").GetProperty("text/plain")));
        Assert.Equal(2, result.GetProperty("execution_count").GetInt32());
        // nbclient applies update_display_data to the output it replaces.
        Assert.Equal("step 2 of 2", Text(Output(cells[3], "display_data").GetProperty("data").GetProperty("text/plain")));
        Assert.Equal("stderr", Output(cells[4], "stream").GetProperty("name").GetString());
        Assert.Equal("the answer is still 42", Text(Output(cells[5], "execute_result").GetProperty("data").GetProperty("text/plain")));
    }

    [JupyterFact]
    public void With_allow_errors_failures_become_error_outputs_and_later_cells_run()
    {
        var cells = ExecuteAndValidate("errors.ipynb", "--allow-errors");

        Assert.Equal("CompilationError", Output(cells[1], "error").GetProperty("ename").GetString());
        var runtime = Output(cells[2], "error");
        Assert.Equal("RuntimeError", runtime.GetProperty("ename").GetString());
        Assert.Contains("boom", runtime.GetProperty("traceback")[0].GetString());
        Assert.Equal("the kernel survived", Text(Output(cells[3], "execute_result").GetProperty("data").GetProperty("text/plain")));
    }

    [JupyterFact]
    public void Without_allow_errors_a_failing_cell_fails_nbconvert()
    {
        var run = Nbconvert("errors.ipynb", Path.Combine(kernelSpec.Root, "strict"));

        Assert.True(run.ExitCode != 0, run.Describe("nbconvert"));
        Assert.Contains("CS0029", run.Error);
    }

    JsonElement[] ExecuteAndValidate(string notebook, params string[] options)
    {
        var outputDirectory = Path.Combine(kernelSpec.Root, Path.GetFileNameWithoutExtension(notebook));
        var run = Nbconvert(notebook, outputDirectory, options);
        Assert.True(run.ExitCode == 0, run.Describe("jupyter nbconvert --execute"));

        var executed = Path.Combine(outputDirectory, notebook);
        var validate = ProcessRun.Start(JupyterTools.Python,
            ["-c", "import sys, nbformat; nbformat.validate(nbformat.read(sys.argv[1], as_version=4)); print('valid')", executed],
            kernelSpec.Environment(), TimeSpan.FromMinutes(1));
        Assert.True(validate.ExitCode == 0 && validate.Output.Contains("valid"), validate.Describe("nbformat.validate"));

        using var document = JsonDocument.Parse(File.ReadAllText(executed));
        Assert.Equal("csharp-book", document.RootElement.GetProperty("metadata").GetProperty("kernelspec").GetProperty("name").GetString());
        Assert.Equal("C#", document.RootElement.GetProperty("metadata").GetProperty("language_info").GetProperty("name").GetString());
        return document.RootElement.GetProperty("cells").EnumerateArray().Select(c => c.Clone()).ToArray();
    }

    ProcessRun Nbconvert(string notebook, string outputDirectory, params string[] options) =>
        ProcessRun.Start(JupyterTools.Jupyter,
            ["nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=180", "--output-dir", outputDirectory, .. options,
             Path.Combine(RepositoryLayout.TestFiles, "notebooks", notebook)],
            kernelSpec.Environment(), TimeSpan.FromMinutes(4));

    /// <summary>nbformat stores multi-line text on disk as an array of lines.</summary>
    static string Text(JsonElement text) =>
        text.ValueKind == JsonValueKind.Array ? string.Concat(text.EnumerateArray().Select(line => line.GetString())) : text.GetString()!;

    static JsonElement Output(JsonElement cell, string outputType) =>
        Assert.Single(cell.GetProperty("outputs").EnumerateArray(), o => o.GetProperty("output_type").GetString() == outputType);
}
