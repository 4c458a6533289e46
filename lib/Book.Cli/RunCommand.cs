using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Book.Engine.Running;
using Book.Native;
using Book.Site;

namespace Book.Cli;

/// <summary><c>book run</c>: execute notebooks headlessly into the build folder; <c>book run-one</c> is its per-notebook child.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("notebooks") { Description = "Notebooks to run (.ipynb).", Arity = ArgumentArity.ZeroOrMore };
        var all = new Option<bool>("--all") { Description = "Run every notebook under chapters/, in book order." };
        var profile = new Option<string>("--profile") { Description = "smoke (CI: each chapter under a minute) or default.", DefaultValueFactory = _ => FromEnvironment(BookEnvironment.Profile, RunProfiles.Parse) };
        profile.AcceptOnlyFromAmong(RunProfiles.Names);
        var device = new Option<string>("--device") { Description = "auto (CUDA when available), cpu or cuda.", DefaultValueFactory = _ => FromEnvironment(BookEnvironment.Device, DeviceChoices.Parse) };
        device.AcceptOnlyFromAmong(DeviceChoices.Names);
        var engine = new Option<string>("--engine") { Description = "book (the book's engine) or dotnet-interactive (Microsoft's .NET Interactive, what Polyglot Notebooks runs, through its Jupyter kernel and nbconvert).", DefaultValueFactory = _ => "book" };
        engine.AcceptOnlyFromAmong("book", "dotnet-interactive");
        var output = new Option<string>("--out") { Description = "Folder for executed copies (default build/notebooks, or build/notebooks-dotnet-interactive for that engine)." };
        var force = new Option<bool>("--force") { Description = "Run even when an executed copy is current." };
        var notebookTimeout = new Option<double>("--notebook-timeout") { Description = "Minutes before a notebook's process is stopped.", DefaultValueFactory = _ => 30 };
        var cellTimeout = new Option<double?>("--cell-timeout") { Description = "Seconds before a cell is cancelled." };

        var run = new Command("run", "Execute notebooks headlessly; executed copies go to the build folder, sources are never modified.")
        {
            paths, all, profile, device, engine, output, force, notebookTimeout, cellTimeout,
        };
        run.SetAction(async (result, cancellationToken) =>
        {
            // Checked before anything runs: a negative or huge limit would otherwise throw from a timer mid-run.
            string? badLimit = TimeoutProblem("--notebook-timeout", result.GetValue(notebookTimeout), "minutes", MaxTimeout.TotalMinutes)
                ?? (result.GetValue(cellTimeout) is double cellLimit ? TimeoutProblem("--cell-timeout", cellLimit, "seconds", MaxTimeout.TotalSeconds) : null);
            if (badLimit is not null)
            {
                Console.Error.WriteLine($"book run: {badLimit}");
                return 2;
            }
            // Outside a book (a notebook elsewhere), paths are relative to the current folder.
            string root = BookRoot.FindFrom(Directory.GetCurrentDirectory()) ?? Directory.GetCurrentDirectory();
            var notebooks = result.GetValue(paths)!.ToList();
            if (result.GetValue(all)) notebooks.AddRange(InBookOrder(root));
            if (notebooks.Count == 0)
            {
                Console.Error.WriteLine("book run: name notebooks to run, or --all.");
                return 2;
            }
            // An unknown option (say --output x) would otherwise be taken for a notebook path.
            if (notebooks.FirstOrDefault(n => n.StartsWith('-') && !File.Exists(n)) is { } unknown)
            {
                Console.Error.WriteLine($"book run: unknown option '{unknown}' (see book run --help).");
                return 2;
            }
            bool viaDotNetInteractive = result.GetValue(engine) == "dotnet-interactive";
            string outputRoot = Path.GetFullPath(result.GetValue(output) ?? (viaDotNetInteractive ? BuildPaths.DotNetInteractiveNotebooks : BuildPaths.ExecutedNotebooks), root);
            var problems = OutputTargets.Problems(notebooks.Where(File.Exists).ToList(), n => NotebookPaths.OutputPath(n, root, outputRoot));
            if (problems.Count > 0)
            {
                foreach (var problem in problems) Console.Error.WriteLine($"book run: {problem}");
                Console.Error.WriteLine("book run: nothing was run.");
                return 2;
            }
            if (viaDotNetInteractive)
            {
                var runner = new DotNetInteractiveRunner(new DotNetInteractiveOptions(outputRoot, root, Path.Combine(root, "build", "jupyter"))
                {
                    Profile = result.GetValue(profile)!,
                    Device = result.GetValue(device)!,
                    NotebookTimeout = TimeSpan.FromMinutes(result.GetValue(notebookTimeout)),
                    CellTimeout = result.GetValue(cellTimeout) is double limit ? TimeSpan.FromSeconds(limit) : TimeSpan.FromMinutes(10),
                });
                return Summarize(await runner.RunAsync(notebooks, Console.Out, cancellationToken));
            }
            var batch = new NotebookBatch(new BatchOptions(outputRoot, root)
            {
                Profile = result.GetValue(profile)!,
                Device = result.GetValue(device)!,
                Force = result.GetValue(force),
                NotebookTimeout = TimeSpan.FromMinutes(result.GetValue(notebookTimeout)),
                CellTimeout = result.GetValue(cellTimeout) is double s ? TimeSpan.FromSeconds(s) : null,
                SelfCommand = SelfCommand(),
                FingerprintFiles = LibraryFiles(root),
            });
            return Summarize(await batch.RunAsync(notebooks, Console.Out, cancellationToken));
        });
        return run;
    }

    // Timers take at most about 24.8 days (int.MaxValue milliseconds); a larger limit would throw inside the run.
    static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(24);

    /// <summary>Why a time limit given on the command line cannot be used, or null.</summary>
    static string? TimeoutProblem(string option, double value, string unit, double max) =>
        value > 0 && value <= max ? null
            : $"{option} {value.ToString(CultureInfo.InvariantCulture)} is not a usable limit; give a number of {unit} above 0 and at most {max.ToString(CultureInfo.InvariantCulture)} (24 days).";

    static int Summarize(IReadOnlyList<NotebookRunResult> results)
    {
        int failed = results.Count(r => !r.Succeeded);
        Console.WriteLine($"{results.Count} notebooks: {results.Count(r => r.Status == NotebookStatus.Passed)} passed, {results.Count(r => r.Status == NotebookStatus.Cached)} cached, {failed} failed; total {results.Sum(r => r.Elapsed.TotalSeconds):0.0} s");
        return failed == 0 ? 0 : 1;
    }

    /// <summary>The child: runs one notebook in this process and reports its result as one JSON line.</summary>
    public static Command CreateRunOne()
    {
        var source = new Argument<string>("notebook");
        var output = new Option<string>("--output") { Required = true, Description = "Where to write the executed copy; - sends it to the parent on stdout." };
        var name = new Option<string>("--name");
        var cellTimeout = new Option<double?>("--cell-timeout");
        var watchStdin = new Option<bool>("--exit-when-stdin-closes") { Description = "Stop, writing nothing, when stdin closes (the parent died)." };
        var command = new Command("run-one", "Run one notebook in this process (used by 'book run').") { source, output, name, cellTimeout, watchStdin };
        command.Hidden = true;
        command.SetAction(async (result, cancellationToken) =>
        {
            if (result.GetValue(watchStdin)) ExitWhenStdinCloses();
            string notebook = result.GetValue(source)!;
            string target = result.GetValue(output)!;
            // Straight to the process's stdout: cells' Console output is captured, these lines are for the parent.
            var stdout = new StreamWriter(Console.OpenStandardOutput());
            var reporter = target == "-" ? new ChildReporter(stdout) : null;
            var (outcome, executed) = await NotebookExecutor.RunAsync(notebook, result.GetValue(name) ?? notebook,
                result.GetValue(cellTimeout) is double s ? TimeSpan.FromSeconds(s) : null, cancellationToken, reporter);
            if (target != "-") executed?.Save(target);
            Console.Out.Flush();
            if (target == "-" && executed is not null)
                stdout.WriteLine("\n" + NotebookBatch.NotebookMarker + executed.ToCompactJson());
            stdout.WriteLine(NotebookBatch.ResultMarker + JsonSerializer.Serialize(outcome));
            stdout.Flush();
            // Exit without waiting for threads a notebook may have left running.
            Environment.Exit(outcome.Succeeded ? 0 : 1);
            return 0;
        });
        return command;
    }

    /// <summary>The parent holds the only writer of this pipe: end of input means it died, and its child must not outlive it.</summary>
    static void ExitWhenStdinCloses()
    {
        var stdin = Console.OpenStandardInput();
        new Thread(() =>
        {
            var buffer = new byte[256];
            try { while (stdin.Read(buffer, 0, buffer.Length) > 0) { } }
            catch (IOException) { }
            // The parent would have read the claims and removed the file; with it gone, this process must.
            if (Environment.GetEnvironmentVariable(Book.Native.BookEnvironment.ClaimsFile) is { } claims && ClaimsCapture.IsCaptureFile(claims))
                ClaimsCapture.Delete(claims);
            Environment.Exit(3);
        }) { IsBackground = true, Name = "parent watcher" }.Start();
    }

    /// <summary>
    /// An option's default from the environment, read by the same parser the library uses (so SMOKE means smoke to both);
    /// a value that names nothing is passed on as it is, for the option's own check to refuse with the allowed values.
    /// </summary>
    static string FromEnvironment(string variable, Func<string?, string> parse)
    {
        string? value = Environment.GetEnvironmentVariable(variable);
        try { return parse(value); }
        catch (ArgumentException) { return value!; }
    }

    /// <summary>Every chapter in book.yml's order, then any notebook under chapters/ that book.yml does not list.</summary>
    static IEnumerable<string> InBookOrder(string root)
    {
        string toc = Path.Combine(root, BookToc.FileName);
        var listed = File.Exists(toc)
            ? BookToc.Load(toc).Chapters.Select(c => Path.GetFullPath(Path.Combine(root, c.Chapter.File))).ToList()
            : new List<string>();
        string chapters = Path.Combine(root, "chapters");
        var onDisk = Directory.Exists(chapters)
            ? Directory.EnumerateFiles(chapters, "*.ipynb", SearchOption.AllDirectories).Select(Path.GetFullPath).Order(StringComparer.Ordinal)
            : Enumerable.Empty<string>();
        return listed.Concat(onDisk.Except(listed, StringComparer.Ordinal));
    }

    /// <summary>How to start this same tool again: the apphost, or dotnet with book.dll.</summary>
    internal static IReadOnlyList<string> SelfCommand()
    {
        string process = Environment.ProcessPath!;
        string entry = typeof(RunCommand).Assembly.Location;
        return Path.GetFileNameWithoutExtension(process) == "dotnet" ? new[] { process, entry } : new[] { process };
    }

    static IReadOnlyList<string> LibraryFiles(string root)
    {
        string lib = Path.Combine(root, "artifacts", "lib");
        return Directory.Exists(lib) ? Directory.GetFiles(lib, "*.dll") : Array.Empty<string>();
    }
}
