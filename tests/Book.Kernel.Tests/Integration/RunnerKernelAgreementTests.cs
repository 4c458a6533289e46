using System.Text.Json;
using System.Text.RegularExpressions;

namespace Book.Kernel.Tests.Integration;

/// <summary>
/// The kernel and the headless runner share one execution core, so the same notebook must give the same outputs
/// through `jupyter nbconvert --execute` and through `book run`; both executed files must pass nbformat's validation.
/// The notebook uses the three packages the chapters lean on: TorchSharp-cpu, Plotly.NET and Microsoft.ML.Tokenizers.
/// </summary>
[Collection(JupyterCollection.Name)]
public sealed partial class RunnerKernelAgreementTests(InstalledKernelSpec kernelSpec)
{
    const string Notebook = "packages.ipynb";

    [JupyterFact]
    public void Nbconvert_with_the_kernel_and_book_run_produce_the_same_outputs()
    {
        string source = Path.Combine(RepositoryLayout.TestFiles, "notebooks", Notebook);
        string viaKernel = Path.Combine(kernelSpec.Root, "agreement-kernel");
        var nbconvert = ProcessRun.Start(JupyterTools.Jupyter,
            ["nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=300", "--output-dir", viaKernel, source],
            kernelSpec.Environment(), TimeSpan.FromMinutes(6));
        Assert.True(nbconvert.ExitCode == 0, nbconvert.Describe("jupyter nbconvert --execute"));

        string viaRunner = Path.Combine(kernelSpec.Root, "agreement-runner");
        var run = ProcessRun.Start("dotnet", [RepositoryLayout.BookDll, "run", source, "--out", viaRunner, "--force"],
            kernelSpec.Environment(), TimeSpan.FromMinutes(6));
        Assert.True(run.ExitCode == 0, run.Describe("book run"));

        // The runner keeps the notebook's path below the book's root (here tests/Book.Kernel.Tests/notebooks/).
        string kernelFile = Path.Combine(viaKernel, Notebook);
        string runnerFile = Directory.GetFiles(viaRunner, Notebook, SearchOption.AllDirectories).Single();
        foreach (var file in new[] { kernelFile, runnerFile })
        {
            var validate = ProcessRun.Start(JupyterTools.Python,
                ["-c", "import sys, nbformat; nbformat.validate(nbformat.read(sys.argv[1], as_version=4)); print('valid')", file],
                kernelSpec.Environment(), TimeSpan.FromMinutes(1));
            Assert.True(validate.ExitCode == 0 && validate.Output.Contains("valid"), validate.Describe("nbformat.validate " + file));
        }

        var kernelOutputs = Outputs(kernelFile);
        var runnerOutputs = Outputs(runnerFile);
        Assert.Equal(kernelOutputs.Count, runnerOutputs.Count);
        for (int i = 0; i < kernelOutputs.Count; i++) Assert.Equal(kernelOutputs[i], runnerOutputs[i]);
        // Each package did its work: a seeded tensor sum, cl100k token ids, a Plotly figure.
        Assert.Contains("70429,374,682,499,1205", string.Join("\n", runnerOutputs));
        Assert.Contains("Plotly.newPlot", string.Join("\n", runnerOutputs));
    }

    /// <summary>Each cell's outputs as comparable text: type, stream name, MIME data; random element ids masked.</summary>
    static List<string> Outputs(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var cells = new List<string>();
        foreach (var cell in document.RootElement.GetProperty("cells").EnumerateArray())
        {
            if (cell.GetProperty("cell_type").GetString() != "code") continue;
            var parts = new List<string>();
            foreach (var output in cell.GetProperty("outputs").EnumerateArray())
            {
                string type = output.GetProperty("output_type").GetString()!;
                parts.Add(type);
                if (output.TryGetProperty("name", out var name)) parts.Add(name.GetString()!);
                if (output.TryGetProperty("text", out var text)) parts.Add(Text(text));
                if (output.TryGetProperty("data", out var data))
                    foreach (var item in data.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                        parts.Add($"{item.Name}: {Text(item.Value)}");
            }
            cells.Add(RandomId().Replace(string.Join("\n", parts), "<id>"));
        }
        return cells;
    }

    static string Text(JsonElement text) =>
        text.ValueKind == JsonValueKind.Array ? string.Concat(text.EnumerateArray().Select(l => l.GetString())) : text.GetString()!;

    [GeneratedRegex("[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}")]
    private static partial Regex RandomId();
}
