using System.Diagnostics;
using System.Reflection;
using System.Runtime.Loader;
using Book.Engine.Directives;
using Book.Engine.Display;
using Book.Engine.Loading;
using Book.Engine.Packages;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.CodeAnalysis.Scripting.Hosting;
using Microsoft.DotNet.Interactive.Formatting;
using DisplayedValue = Book.Engine.Display.DisplayedValue;

namespace Book.Engine.Execution;

/// <summary>
/// One notebook's execution state: cells run in order in one Roslyn script state, so variables, usings, types and
/// functions of earlier cells are visible to later ones. The Jupyter kernel and the headless runner both run cells
/// only through this class, so they cannot behave differently.
/// </summary>
public sealed class NotebookSession : IDisposable
{
    /// <summary>The namespaces every cell has, as in Polyglot's C# kernel; chapters write any other using themselves.</summary>
    public static readonly string[] DefaultImports =
        { "System", "System.Collections", "System.Collections.Generic", "System.Linq", "System.Text", "System.Threading.Tasks" };

    readonly SessionOptions options;
    readonly InteractiveAssemblyLoader loader = new();
    readonly NotebookGlobals globals;
    readonly SemaphoreSlim oneCellAtATime = new(1, 1);
    readonly List<PackageReference> packages = new();
    readonly HashSet<string> referencedFiles = new(StringComparer.Ordinal);
    ScriptOptions scriptOptions;
    ScriptState<object>? state;
    ICellOutputSink? lastSink;
    Task? stillRunning;

    public NotebookSession(SessionOptions options)
    {
        this.options = options;
        if (options.SetCurrentDirectory) Directory.SetCurrentDirectory(options.WorkingDirectory);
        globals = new NotebookGlobals(Show);
        foreach (var assembly in new[] { typeof(NotebookGlobals).Assembly, typeof(Formatter).Assembly }) loader.RegisterDependency(assembly);
        scriptOptions = ScriptOptions.Default
            .WithReferences(FrameworkReferences().Concat(new[]
            {
                MetadataReference.CreateFromFile(typeof(NotebookGlobals).Assembly.Location),
                MetadataReference.CreateFromFile(typeof(Formatter).Assembly.Location),
            }))
            .WithImports(DefaultImports)
            .WithLanguageVersion(LanguageVersion.Latest)
            // Debug code keeps every sequence point, so runtime errors name the right line; heavy work runs in compiled libraries.
            .WithOptimizationLevel(OptimizationLevel.Debug)
            .WithEmitDebugInformation(true)
            .WithFileEncoding(System.Text.Encoding.UTF8)
            .WithAllowUnsafe(false);
    }

    public SessionOptions Options => options;

    /// <summary>Runs one cell. Outputs go to <paramref name="sink"/> as they happen; the result has the value or the failure.</summary>
    public async Task<CellResult> ExecuteCellAsync(string code, CellLocation location, ICellOutputSink sink, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        if (stillRunning is { IsCompleted: false })
        {
            string message = $"{location.Describe()}: not run, because an earlier cell is still running (it did not stop when cancelled; .NET cannot abort it). Restart the kernel.";
            return new CellResult(CellOutcome.Failed, null, new CellFailure("Cancelled", message, null, new[] { message }), clock.Elapsed);
        }
        await oneCellAtATime.WaitAsync(cancellationToken);
        lastSink = sink;
        CellConsole.Begin(sink);
        try
        {
            CellDirectives cell;
            try
            {
                cell = CellDirectives.Parse(code, location);
                await AddPackagesAsync(cell.Packages, cancellationToken);
                AddAssemblies(cell.AssemblyPaths, location);
            }
            catch (DirectiveException e) { return Failed(CellErrors.Directive(e, e.Line), clock); }
            catch (Exception e) when (e is PackageRestoreException or FileNotFoundException or DirectoryNotFoundException or BadImageFormatException or InvalidDataException)
            {
                var wrapped = new Exception($"{location.Describe()}: {e.Message}");
                return Failed(CellErrors.Directive(wrapped, null), clock);
            }
            if (string.IsNullOrWhiteSpace(cell.Code)) return new CellResult(CellOutcome.Completed, null, null, clock.Elapsed);
            return await RunAsync(cell.Code, location, cancellationToken, clock);
        }
        finally
        {
            CellConsole.End();
            oneCellAtATime.Release();
        }
    }

    async Task<CellResult> RunAsync(string code, CellLocation location, CancellationToken cancellationToken, Stopwatch clock)
    {
        string scriptPath = location.Describe();
        var cellOptions = scriptOptions.WithFilePath(scriptPath);
        using var cellToken = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (options.CellTimeout is TimeSpan limit) cellToken.CancelAfter(limit);
        CellCancellation.Publish(cellToken.Token);
        var previous = state;
        // On the thread pool: a cell's synchronous code runs inside ContinueWithAsync, and the time limit must still fire.
        var run = Task.Run(() => previous is null
            ? CSharpScript.Create<object>(code, cellOptions, typeof(NotebookGlobals), loader).RunAsync(globals, _ => true, CancellationToken.None)
            : previous.ContinueWithAsync<object>(code, cellOptions, _ => true, CancellationToken.None));
        try
        {
            var stopped = Task.Delay(Timeout.Infinite, cellToken.Token);
            if (await Task.WhenAny(run, stopped) == stopped && !run.IsCompleted)
            {
                bool timedOut = !cancellationToken.IsCancellationRequested;
                // Give a cooperative cell (the book's trainer checks the token) a moment to stop by itself.
                await Task.WhenAny(run, Task.Delay(options.CancellationGrace, CancellationToken.None));
                if (run.IsCompleted && run.Status == TaskStatus.RanToCompletion) state = run.Result;
                else if (!run.IsCompleted) stillRunning = run;
                string why = timedOut ? $"timed out after {options.CellTimeout!.Value.TotalSeconds:0.#} s" : "was interrupted";
                string still = run.IsCompleted ? "" : " and is still running (.NET cannot abort it; restart the kernel)";
                string message = $"{location.Describe()}: the cell {why}{still}.";
                var failure = new CellFailure(timedOut ? "TimedOut" : "Cancelled", message, null, new[] { message });
                return new CellResult(timedOut ? CellOutcome.TimedOut : CellOutcome.Cancelled, null, failure, clock.Elapsed);
            }
            var next = await run;
            state = next;
            if (next.Exception is { } exception)
            {
                if (exception is OperationCanceledException && cellToken.IsCancellationRequested)
                {
                    bool timedOut = !cancellationToken.IsCancellationRequested;
                    string message = $"{location.Describe()}: the cell {(timedOut ? $"timed out after {options.CellTimeout!.Value.TotalSeconds:0.#} s" : "was interrupted")}.";
                    return new CellResult(timedOut ? CellOutcome.TimedOut : CellOutcome.Cancelled, null,
                        new CellFailure(timedOut ? "TimedOut" : "Cancelled", message, null, new[] { message }), clock.Elapsed);
                }
                return Failed(CellErrors.Runtime(exception, location, scriptPath), clock);
            }
            MimeBundle? value = HasTrailingExpression(code) && next.ReturnValue is not null ? SafeFormat(next.ReturnValue, null) : null;
            return new CellResult(CellOutcome.Completed, value, null, clock.Elapsed);
        }
        catch (CompilationErrorException e)
        {
            return Failed(CellErrors.Compilation(e, location), clock);
        }
        finally
        {
            CellCancellation.Clear();
        }
    }

    static CellResult Failed(CellFailure failure, Stopwatch clock) => new(CellOutcome.Failed, null, failure, clock.Elapsed);

    /// <summary>True when the cell ends in an expression without a semicolon, the C# kernel's rule for showing a value.</summary>
    static bool HasTrailingExpression(string code)
    {
        var tree = CSharpSyntaxTree.ParseText(code, CSharpParseOptions.Default.WithKind(SourceCodeKind.Script).WithLanguageVersion(LanguageVersion.Latest));
        var last = tree.GetCompilationUnitRoot().Members.LastOrDefault();
        return last is GlobalStatementSyntax { Statement: ExpressionStatementSyntax statement } && statement.SemicolonToken.IsMissing;
    }

    DisplayedValue Show(object? value, string[] mimeTypes)
    {
        var handle = new DisplayedValue(Guid.NewGuid().ToString("N"), mimeTypes, Publish);
        Publish(SafeFormat(value, mimeTypes), handle.DisplayId, false);
        return handle;
    }

    void Publish(MimeBundle bundle, string displayId, bool isUpdate) => lastSink?.WriteDisplay(bundle, displayId, isUpdate);

    /// <summary>A formatter that throws must not lose the cell's result: fall back to the value's text.</summary>
    static MimeBundle SafeFormat(object? value, IReadOnlyList<string>? mimeTypes)
    {
        try { return MimeBundleFormatter.Format(value, mimeTypes); }
        catch (Exception e) { return MimeBundle.PlainText($"{value} (formatter failed: {e.GetType().Name}: {e.Message})"); }
    }

    async Task AddPackagesAsync(IReadOnlyList<PackageReference> requested, CancellationToken cancellationToken)
    {
        var added = new List<PackageReference>();
        foreach (var p in requested)
        {
            var existing = packages.FirstOrDefault(e => e.Id.Equals(p.Id, StringComparison.OrdinalIgnoreCase));
            if (existing is null) { packages.Add(p); added.Add(p); }
            else if (existing.Version != p.Version)
                throw new PackageRestoreException(new[] { p }, $"{existing.Id} {existing.Version} is already loaded in this session; restart to use another version.");
        }
        if (added.Count == 0) return;
        var all = packages.ToList();
        RestoredPackages restored;
        try
        {
            restored = await Task.Run(() => PackageRestorer.Restore(all, options.RestoreTimeout, cancellationToken), cancellationToken);
        }
        catch
        {
            foreach (var p in added) packages.Remove(p);
            throw;
        }
        ScriptAssemblyResolver.Add(restored);
        var references = new List<MetadataReference>();
        foreach (var file in restored.CompileAssemblies.Where(referencedFiles.Add))
        {
            references.Add(MetadataReference.CreateFromFile(file));
            // Compile against the package's reference assembly, run its implementation, loaded once into the default context.
            if (ScriptAssemblyResolver.Load(Path.GetFileNameWithoutExtension(file)) is { } assembly) loader.RegisterDependency(assembly);
        }
        scriptOptions = scriptOptions.AddReferences(references);
    }

    void AddAssemblies(IReadOnlyList<string> paths, CellLocation location)
    {
        foreach (var relative in paths)
        {
            string full = Path.GetFullPath(Path.Combine(options.WorkingDirectory, relative));
            if (!File.Exists(full))
                throw new FileNotFoundException($"#r \"{relative}\": no such file {full} (paths are relative to the notebook's folder; build the book's library first with 'dotnet build').");
            if (referencedFiles.Contains(full)) continue;
            string name;
            try { name = AssemblyName.GetAssemblyName(full).Name!; }
            catch (BadImageFormatException e)
            {
                // The runtime's own message ("Image is too small.", "Bad IL format.") names no file.
                throw new BadImageFormatException($"#r \"{relative}\": {full} is not a .NET assembly ({e.Message.TrimEnd('.')}).");
            }
            referencedFiles.Add(full);
            ScriptAssemblyResolver.AddProbeDirectory(Path.GetDirectoryName(full)!);
            var assembly = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == name)
                ?? AssemblyLoadContext.Default.LoadFromAssemblyPath(full);
            loader.RegisterDependency(assembly);
            scriptOptions = scriptOptions.AddReferences(MetadataReference.CreateFromFile(full));
        }
    }

    /// <summary>The running framework's assemblies (System.*, netstandard, ...), which cells compile against.</summary>
    static IEnumerable<MetadataReference> FrameworkReferences()
    {
        var tpa = (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        string runtimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        return tpa
            .Where(p => Path.GetDirectoryName(p) == runtimeDir)
            .Where(p =>
            {
                string name = Path.GetFileNameWithoutExtension(p);
                return name is "mscorlib" or "netstandard" or "Microsoft.CSharp" or "Microsoft.Win32.Primitives" or "System.Private.CoreLib"
                    || (name.StartsWith("System.", StringComparison.Ordinal) && !name.StartsWith("System.Private.", StringComparison.Ordinal));
            })
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p));
    }

    /// <summary>Completions at the cursor from Roslyn's semantic model, with the session's state and references.</summary>
    public Task<CompletionList> CompleteAsync(string code, int cursorPosition, CancellationToken cancellationToken = default) =>
        Task.Run(() => CodeCompletion.Complete(code, cursorPosition, Compile), cancellationToken);

    Compilation Compile(string code)
    {
        var cell = CellDirectives.Parse(code, new CellLocation(options.NotebookName, 0));
        var script = state is null
            ? CSharpScript.Create<object>(cell.Code, scriptOptions, typeof(NotebookGlobals), loader)
            : state.Script.ContinueWith<object>(cell.Code, scriptOptions);
        return script.GetCompilation();
    }

    public static CodeCompleteness CheckCompleteness(string code)
    {
        var tree = CSharpSyntaxTree.ParseText(code, CSharpParseOptions.Default.WithKind(SourceCodeKind.Script).WithLanguageVersion(LanguageVersion.Latest));
        if (!SyntaxFactory.IsCompleteSubmission(tree)) return CodeCompleteness.Incomplete;
        // Complete but unparsable (e.g. "var = ;"): Jupyter front ends then run it to show the error.
        return tree.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error) ? CodeCompleteness.Invalid : CodeCompleteness.Complete;
    }

    public void Dispose() => oneCellAtATime.Dispose();
}
