using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Book.Engine.Notebooks;
using Book.Native;

namespace Book.Engine.Running;

/// <summary>What a batch run needs to know: where outputs go, profile and device, limits, and how to start a child.</summary>
public sealed record BatchOptions(string OutputRoot, string RepositoryRoot)
{
    public string Profile { get; init; } = RunProfiles.Default;
    public string Device { get; init; } = DeviceChoices.Auto;
    public bool Force { get; init; }
    public TimeSpan NotebookTimeout { get; init; } = TimeSpan.FromMinutes(30);
    public TimeSpan? CellTimeout { get; init; }
    /// <summary>The command that starts this tool again (the child runs one notebook with "run-one").</summary>
    public required IReadOnlyList<string> SelfCommand { get; init; }
    /// <summary>Files whose content decides whether an executed copy is still current (the book's library build).</summary>
    public IReadOnlyList<string> FingerprintFiles { get; init; } = Array.Empty<string>();
}

/// <summary>
/// Runs notebooks one by one, each in its own process (libtorch's native state must not leak between chapters),
/// reusing an executed copy whose notebook, library build, profile and device are unchanged. A notebook that is
/// malformed, never ends or crashes its process is reported and the batch goes on; the batch fails if any did.
/// </summary>
public sealed class NotebookBatch(BatchOptions options)
{
    public const string ResultMarker = "BOOK-RESULT ";
    /// <summary>Starts the line on which the child sends the executed copy (compact JSON, so one line); only the parent writes files.</summary>
    public const string NotebookMarker = "BOOK-NOTEBOOK ";

    public Task<IReadOnlyList<NotebookRunResult>> RunAsync(IReadOnlyList<string> notebooks, TextWriter log, CancellationToken cancellationToken = default) =>
        NotebookRunLog.RunEachAsync(notebooks, RunOneAsync, log, "", cancellationToken);

    public string OutputPathFor(string notebook) => NotebookPaths.OutputPath(notebook, options.RepositoryRoot, options.OutputRoot);

    async Task<NotebookRunResult> RunOneAsync(string notebook, CancellationToken cancellationToken)
    {
        string name = NotebookPaths.DisplayName(notebook, options.RepositoryRoot);
        if (!File.Exists(notebook)) return new NotebookRunResult(name, NotebookStatus.Invalid, $"{name}: no such file.", TimeSpan.Zero, 0);
        string output = OutputPathFor(notebook);
        string key = CacheKey(notebook);
        if (!options.Force && IsCurrent(output, key)) return new NotebookRunResult(name, NotebookStatus.Cached, null, TimeSpan.Zero, 0);

        // Until a new copy replaces it, the old one is not the result of this run: a kill at any moment leaves it marked.
        RunRecord.MarkStale(output, "a later run did not finish; this copy is from an earlier run");
        var clock = Stopwatch.StartNew();
        var start = new ProcessStartInfo(options.SelfCommand[0])
        {
            // The child's stdin is a pipe only this process writes to: it closes when this process dies, however it dies,
            // and the child then stops at once instead of running on as an orphan.
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(notebook))!,
        };
        foreach (var a in options.SelfCommand.Skip(1)) start.ArgumentList.Add(a);
        foreach (var a in new[] { "run-one", Path.GetFullPath(notebook), "--output", "-", "--name", name, "--exit-when-stdin-closes" }) start.ArgumentList.Add(a);
        if (options.CellTimeout is TimeSpan cell) { start.ArgumentList.Add("--cell-timeout"); start.ArgumentList.Add(cell.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)); }
        start.Environment[BookEnvironment.Profile] = options.Profile;
        start.Environment[BookEnvironment.Device] = options.Device;
        // libtorch's OpenMP threads spin while waiting; on a small shared machine (CI's 2 cores) that costs 5x per step.
        if (!start.Environment.ContainsKey("OMP_WAIT_POLICY")) start.Environment["OMP_WAIT_POLICY"] = "PASSIVE";

        using var process = Process.Start(start)!;
        var run = await TimedProcess.WaitAsync(process, options.NotebookTimeout, cancellationToken);
        if (run.TimedOut)
        {
            // A killed child cannot remove its claims file.
            ForgetClaims(ChildReport.Read(run.Stdout.Split('\n')));
            string why = cancellationToken.IsCancellationRequested ? "was interrupted" : $"did not finish within {Describe(options.NotebookTimeout)}";
            RunRecord.MarkStale(output, $"the last run {why}");
            return new NotebookRunResult(name, NotebookStatus.TimedOut, $"{name}: {why}; its process was stopped.", clock.Elapsed, 0);
        }
        string stdoutText = run.Stdout, stderrText = run.Stderr;
        var lines = stdoutText.Split('\n');
        var line = lines.LastOrDefault(l => l.StartsWith(ResultMarker, StringComparison.Ordinal));
        if (line is null)
        {
            var report = ChildReport.Read(lines);
            var claims = ForgetClaims(report);
            var (message, details) = DescribeCrash(name, report, process.ExitCode, stderrText, stdoutText);
            // The cells that finished keep their outputs; the one that was running gets the error.
            if (report.LastCell is null || !WriteCrashedCopy(notebook, output, report, message, details, claims, clock.Elapsed))
                RunRecord.MarkStale(output, $"the last run crashed (exit code {process.ExitCode})");
            return new NotebookRunResult(name, NotebookStatus.Crashed, message + (details.Length > 0 ? "\n" + details : ""), clock.Elapsed, report.CellsStarted);
        }
        var reported = JsonSerializer.Deserialize<NotebookRunResult>(line[ResultMarker.Length..])!;
        if (lines.LastOrDefault(l => l.StartsWith(NotebookMarker, StringComparison.Ordinal)) is { } sent)
        {
            var executed = JsonNode.Parse(sent.AsSpan(NotebookMarker.Length).TrimEnd('\r').ToString())!;
            if (reported.Succeeded) executed["metadata"]!["book"]!["cache_key"] = key;
            AtomicFile.WriteAllText(output, Notebooks.NotebookDocument.Format(executed));
        }
        return reported with { Elapsed = clock.Elapsed };
    }

    /// <summary>The claims a dead child had checked; its capture file is removed, since the child no longer can.</summary>
    static JsonArray ForgetClaims(ChildReport report)
    {
        if (report.ClaimsFile is not { } file || !ClaimsCapture.IsCaptureFile(file)) return new JsonArray();
        var claims = ClaimsCapture.Read(file);
        ClaimsCapture.Delete(file);
        return claims;
    }

    /// <summary>One line naming the cell and what ended the process, and the lines of its own last words that explain it.</summary>
    static (string Message, string Details) DescribeCrash(string name, ChildReport report, int exitCode, string stderr, string stdout)
    {
        string ended = $"the process running it ended with exit code {exitCode}";
        string Where(int? cell) => cell is int c ? $"{name}, cell {c + 1}" : report.LastCell is int last ? $"{name}, after cell {last + 1}" : name;
        var errorLines = stderr.Trim().Split('\n');
        int overflow = Array.FindIndex(errorLines, l => l.TrimEnd('\r') == "Stack overflow.");
        if (overflow >= 0)
            return ($"{Where(report.RunningCell)}: stack overflow (a recursion that never ends?); {ended}.",
                string.Join("\n", errorLines.Skip(overflow + 1).Take(4)));
        string tail = string.Join("\n", (stderr + stdout).Trim().Split('\n')
            .Where(l => !l.StartsWith(ChildReporter.Marker, StringComparison.Ordinal) && !string.IsNullOrWhiteSpace(l)).TakeLast(8));
        if (report.Fault is { } fault) return ($"{Where(fault.Cell)}: {fault.Message}; {ended}.", tail);
        if (report.RunningCell is int running) return ($"{Where(running)}: {ended} while this cell ran (Environment.Exit in the cell, or a crash).", tail);
        return ($"{Where(null)}: {ended} before reporting a result.", tail);
    }

    bool WriteCrashedCopy(string notebook, string output, ChildReport report, string message, string details, JsonArray claims, TimeSpan elapsed)
    {
        NotebookDocument copy;
        try { copy = NotebookDocument.Load(notebook).Clone(notebook); }
        catch (NotebookFormatException) { return false; }
        copy.PrepareForExecution();
        int errorCell = report.Fault?.Cell ?? report.RunningCell ?? report.LastCell!.Value;
        foreach (var (cell, count) in report.Started)
        {
            var outputs = (report.OutputsOf(cell) ?? new JsonArray()).Select(o => (JsonObject)o!).ToList();
            if (cell == errorCell)
            {
                var traceback = new JsonArray(message);
                foreach (var l in details.Split('\n').Where(l => l.Length > 0)) traceback.Add(l);
                outputs.Add(new JsonObject { ["output_type"] = "error", ["ename"] = "ProcessDied", ["evalue"] = message, ["traceback"] = traceback });
            }
            copy.SetOutputs(cell, outputs, count);
        }
        var record = RunRecord.Create(notebook, NotebookStatus.Crashed, elapsed, options.Profile, "book", claims);
        record["failure"] = message;
        copy.Metadata["book"] = record;
        AtomicFile.WriteAllText(output, copy.ToJson());
        return true;
    }

    static string Describe(TimeSpan t) => t.TotalMinutes >= 1 ? $"{t.TotalMinutes:0.#} min" : $"{t.TotalSeconds:0} s";

    string CacheKey(string notebook)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(File.ReadAllBytes(notebook));
        hash.AppendData(Encoding.UTF8.GetBytes($"\n{options.Profile}\n{options.Device}\n{typeof(NotebookBatch).Assembly.ManifestModule.ModuleVersionId}\n"));
        foreach (var file in options.FingerprintFiles.Where(File.Exists).Order(StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetFileName(file)));
            hash.AppendData(File.ReadAllBytes(file));
        }
        return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }

    static bool IsCurrent(string output, string key)
    {
        if (!File.Exists(output)) return false;
        try
        {
            var book = JsonNode.Parse(File.ReadAllText(output))?["metadata"]?["book"];
            return book?["cache_key"]?.GetValue<string>() == key && book["status"]?.GetValue<string>() == "passed";
        }
        catch (JsonException) { return false; }
    }
}
