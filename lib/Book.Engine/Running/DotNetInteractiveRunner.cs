using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Book.Engine.Notebooks;
using Book.Native;

namespace Book.Engine.Running;

/// <summary>Where the .NET Interactive run finds its tools and writes its copies.</summary>
/// <param name="OutputRoot">Folder for executed copies (the notebook's path below the book's root is kept).</param>
/// <param name="RepositoryRoot">The book's root: its tool manifest pins Microsoft.dotnet-interactive.</param>
/// <param name="JupyterDataFolder">Where the kernelspec is written (a JUPYTER_PATH entry; never the user's own).</param>
public sealed record DotNetInteractiveOptions(string OutputRoot, string RepositoryRoot, string JupyterDataFolder)
{
    public string Profile { get; init; } = RunProfiles.Default;
    public string Device { get; init; } = DeviceChoices.Auto;
    public TimeSpan NotebookTimeout { get; init; } = TimeSpan.FromMinutes(30);
    public TimeSpan CellTimeout { get; init; } = TimeSpan.FromMinutes(10);
    /// <summary>Debian's `jupyter` (nbconvert and nbclient behind it).</summary>
    public string Jupyter { get; init; } = "jupyter";
}

/// <summary>
/// Executes notebooks in Microsoft's .NET Interactive engine, the one Polyglot Notebooks runs, through its Jupyter
/// kernel (<c>.net-csharp</c>) and Debian's <c>jupyter nbconvert --execute</c>: the same path a reader takes in
/// JupyterLab or VS Code's Jupyter extension with that kernel. The engine is the `dotnet interactive` tool the
/// book's tool manifest pins; the kernelspec written here starts it with its HTTP API on loopback only and no
/// telemetry. A failing notebook is reported with its cell number (counting from 1, markdown included, as the book's engine
/// does) and error.
/// </summary>
public sealed partial class DotNetInteractiveRunner(DotNetInteractiveOptions options)
{
    public const string KernelName = KernelNames.DotNetInteractive;

    public Task<IReadOnlyList<NotebookRunResult>> RunAsync(IReadOnlyList<string> notebooks, TextWriter log, CancellationToken cancellationToken = default)
    {
        WriteKernelSpec();
        return NotebookRunLog.RunEachAsync(notebooks, RunOneAsync, log, "  [.NET Interactive]", cancellationToken);
    }

    /// <summary>The kernelspec <c>dotnet interactive jupyter install</c> writes, with the HTTP API kept on loopback.</summary>
    public void WriteKernelSpec()
    {
        string folder = Path.Combine(options.JupyterDataFolder, "kernels", KernelName);
        Directory.CreateDirectory(folder);
        var spec = new JsonObject
        {
            ["argv"] = new JsonArray("dotnet", "interactive", "jupyter", "--default-kernel", "csharp", "--http-local-only", "{connection_file}"),
            ["display_name"] = ".NET (C#)",
            ["language"] = "C#",
            ["env"] = new JsonObject { ["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" },
        };
        File.WriteAllText(Path.Combine(folder, "kernel.json"), spec.ToJsonString(new() { WriteIndented = true }) + "\n");
    }

    public string OutputPathFor(string notebook) => NotebookPaths.OutputPath(notebook, options.RepositoryRoot, options.OutputRoot);

    async Task<NotebookRunResult> RunOneAsync(string notebook, CancellationToken cancellationToken)
    {
        string name = NotebookPaths.DisplayName(notebook, options.RepositoryRoot);
        if (!File.Exists(notebook)) return new NotebookRunResult(name, NotebookStatus.Invalid, $"{name}: no such file.", TimeSpan.Zero, 0);
        NotebookDocument source;
        try { source = NotebookDocument.Load(notebook); }
        catch (NotebookFormatException e) { return new NotebookRunResult(name, NotebookStatus.Invalid, $"{name}: {e.Message}", TimeSpan.Zero, 0); }

        string output = OutputPathFor(notebook);
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        if (File.Exists(output)) File.Delete(output);   // a copy from an earlier run must not pass for this one's
        var clock = Stopwatch.StartNew();
        var start = new ProcessStartInfo(options.Jupyter)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // The kernel starts in the notebook's folder; `dotnet interactive` resolves through the book's tool manifest.
            WorkingDirectory = options.RepositoryRoot,
        };
        foreach (var a in new[]
        {
            "nbconvert", "--to", "notebook", "--execute",
            $"--ExecutePreprocessor.kernel_name={KernelName}",
            $"--ExecutePreprocessor.timeout={(int)Math.Ceiling(options.CellTimeout.TotalSeconds)}",
            "--output-dir", Path.GetDirectoryName(output)!, "--output", Path.GetFileName(output),
            Path.GetFullPath(notebook),
        }) start.ArgumentList.Add(a);
        string existing = Environment.GetEnvironmentVariable("JUPYTER_PATH") ?? "";
        start.Environment["JUPYTER_PATH"] = existing.Length == 0 ? options.JupyterDataFolder : options.JupyterDataFolder + Path.PathSeparator + existing;
        start.Environment[BookEnvironment.Profile] = options.Profile;
        start.Environment[BookEnvironment.Device] = options.Device;
        // The kernel inherits nbconvert's environment, so the library in it records the claims here.
        using var claims = new ClaimsCapture();
        start.Environment[BookEnvironment.ClaimsFile] = claims.FilePath;
        if (!start.Environment.ContainsKey("OMP_WAIT_POLICY")) start.Environment["OMP_WAIT_POLICY"] = "PASSIVE";

        Process process;
        try { process = Process.Start(start)!; }
        catch (System.ComponentModel.Win32Exception e)
        {
            return new NotebookRunResult(name, NotebookStatus.Crashed,
                $"{name}: cannot start '{options.Jupyter}' ({e.Message}). Install Jupyter's nbconvert (Debian: jupyter-nbconvert, python3-nbformat).",
                TimeSpan.Zero, 0);
        }
        using (process)
        {
            var run = await TimedProcess.WaitAsync(process, options.NotebookTimeout, cancellationToken);
            if (run.TimedOut)
            {
                return new NotebookRunResult(name, NotebookStatus.TimedOut,
                    $"{name}: did not finish within {options.NotebookTimeout.TotalMinutes:0.#} min in .NET Interactive; nbconvert and the kernel were stopped.",
                    clock.Elapsed, 0);
            }
            string log = run.Stderr + run.Stdout;
            if (process.ExitCode != 0 || !File.Exists(output))
                return new NotebookRunResult(name, NotebookStatus.Failed, $"{name}: {DescribeFailure(source, log)}", clock.Elapsed, 0);
            int cells = source.CodeCells().Count();
            StampMetadata(notebook, output, clock.Elapsed, claims.Read());
            return new NotebookRunResult(name, NotebookStatus.Passed, null, clock.Elapsed, cells);
        }
    }

    /// <summary>The same run record the book's engine writes (<c>metadata.book</c>), so both copies read alike.</summary>
    void StampMetadata(string source, string output, TimeSpan elapsed, JsonArray claims)
    {
        var executed = NotebookDocument.Load(output);
        executed.Metadata["book"] = RunRecord.Create(source, NotebookStatus.Passed, elapsed, options.Profile, "dotnet-interactive", claims);
        executed.Save(output);
    }

    /// <summary>nbclient's CellExecutionError names the cell by its source; the book names it by its number too.</summary>
    internal static string DescribeFailure(NotebookDocument source, string nbconvertLog)
    {
        var match = CellExecutionError().Match(nbconvertLog);
        if (!match.Success)
        {
            string tail = string.Join("\n", nbconvertLog.Trim().Split('\n').Where(l => !l.StartsWith("info:", StringComparison.Ordinal) && !l.StartsWith("      ", StringComparison.Ordinal)).TakeLast(12));
            return $"nbconvert failed before a cell raised an error:\n{tail}";
        }
        string cellSource = match.Groups["source"].Value.ReplaceLineEndings("\n").Trim();
        // The kernel's own log lines (ASP.NET Core's "info:" blocks) follow nbclient's message on the same stream.
        string error = string.Join("\n", match.Groups["error"].Value.Trim().Split('\n')
            .TakeWhile(l => !l.StartsWith("info:", StringComparison.Ordinal) && !l.StartsWith("[NbConvertApp]", StringComparison.Ordinal))
            .Take(12)).TrimEnd();
        int index = source.CodeCells().Where(i => source.CellSource(i).ReplaceLineEndings("\n").Trim() == cellSource).DefaultIfEmpty(-1).First();
        string where = index >= 0 ? $"cell {index + 1}" : "a cell";
        return $"{where} failed in .NET Interactive:\n{error}";
    }

    [GeneratedRegex(@"CellExecutionError: An error occurred while executing the following cell:\r?\n-{18}\r?\n(?<source>[\s\S]*?)\r?\n-{18}\r?\n(?<error>[\s\S]*)$")]
    private static partial Regex CellExecutionError();
}
