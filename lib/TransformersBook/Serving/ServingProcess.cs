using System.Diagnostics;
using System.Globalization;
using TransformersBook.Distributed;

namespace TransformersBook.Serving;

/// <summary>
/// The book's HTTP service (tools/BookServer, ASP.NET Core) running as a process of its own, so that the web framework
/// never loads into a notebook's engine: <see cref="Start"/> runs <c>dotnet artifacts/book-server/BookServer.dll</c>
/// on a model folder, waits for the line in which it announces its address, and hands back an <see cref="HttpClient"/>
/// for it. <see cref="ShutdownAsync"/> asks for a graceful shutdown (POST /shutdown) and waits for the process to exit.
/// </summary>
public sealed class ServingProcess : IDisposable
{
    /// <summary>The server's program relative to the book's root, once the solution is built.</summary>
    public const string ServerProgram = "artifacts/book-server/BookServer.dll";

    /// <summary>The line prefix with which the server announces its address on standard output.</summary>
    public const string ListeningPrefix = "book-server listening on ";

    readonly Process process;
    readonly List<string> output = new();

    ServingProcess(Process process, Uri address)
    {
        this.process = process;
        Address = address;
        // A client that stops reading closes its connection (no draining of the rest), so the server sees it go away.
        Client = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = address, Timeout = TimeSpan.FromMinutes(10) };
        // A notebook whose cell fails before the shutdown cell must not leave the server running after its own process ends.
        AppDomain.CurrentDomain.ProcessExit += KillOnExit;
    }

    /// <summary>The service's base address, http://127.0.0.1:port/.</summary>
    public Uri Address { get; }

    /// <summary>A client for the service.</summary>
    public HttpClient Client { get; }

    /// <summary>Whether the server process has exited.</summary>
    public bool HasExited => process.HasExited;

    /// <summary>The server's exit code (after it has exited).</summary>
    public int ExitCode => process.ExitCode;

    /// <summary>What the server has written so far, both streams.</summary>
    public string Output
    {
        get
        {
            lock (output) return string.Join('\n', output);
        }
    }

    /// <summary>The arguments of the server program for these settings.</summary>
    /// <param name="modelFolder">A folder <see cref="ModelFiles.GptFolder"/> wrote.</param>
    /// <param name="options">Batch size, queue capacity, policy.</param>
    /// <param name="threads">libtorch's intra-op threads in the server.</param>
    /// <param name="port">The port on 127.0.0.1 (0: a free one).</param>
    public static IReadOnlyList<string> Arguments(string modelFolder, EngineOptions options, int threads = 1, int port = 0)
    {
        ArgumentNullException.ThrowIfNull(options);
        string Text(int n) => n.ToString(CultureInfo.InvariantCulture);
        return new[]
        {
            "--model", modelFolder, "--port", Text(port), "--max-batch", Text(options.MaxBatch), "--queue", Text(options.QueueCapacity),
            "--policy", options.Policy.ToString().ToLowerInvariant(), "--threads", Text(threads),
        };
    }

    /// <summary>Starts the server and waits (at most <paramref name="timeout"/>) until it listens.</summary>
    /// <param name="modelFolder">A folder <see cref="ModelFiles.GptFolder"/> wrote.</param>
    /// <param name="options">Batch size, queue capacity, policy.</param>
    /// <param name="threads">libtorch's intra-op threads in the server.</param>
    /// <param name="timeout">How long to wait for it to listen (default 60 s).</param>
    /// <param name="extraArguments">More arguments for the server, e.g. <c>--request-log F</c> (null: none).</param>
    /// <exception cref="FileNotFoundException">The server is not built.</exception>
    /// <exception cref="InvalidOperationException">It exited or did not listen in time (the message holds its output).</exception>
    public static ServingProcess Start(string modelFolder, EngineOptions options, int threads = 1, TimeSpan? timeout = null,
        IReadOnlyList<string>? extraArguments = null)
    {
        var root = MpiLauncher.BookFolder() ?? throw new InvalidOperationException("The book's root folder was not found.");
        var program = Path.Combine(root, ServerProgram);
        if (!File.Exists(program)) throw new FileNotFoundException($"The server is not built: {program} (run dotnet build at the book's root).", program);
        var start = new ProcessStartInfo(DotNetHost()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(program);
        foreach (var argument in Arguments(Path.GetFullPath(modelFolder), options, threads)) start.ArgumentList.Add(argument);
        foreach (var argument in extraArguments ?? Array.Empty<string>()) start.ArgumentList.Add(argument);
        var process = Process.Start(start) ?? throw new InvalidOperationException("The server did not start.");
        var address = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var lines = new List<string>();
        void Record(string? line)
        {
            if (line is null) return;
            lock (lines) lines.Add(line);
            if (line.StartsWith(ListeningPrefix, StringComparison.Ordinal)) address.TrySetResult(new Uri(line[ListeningPrefix.Length..].Trim().TrimEnd('/') + "/"));
        }
        process.OutputDataReceived += (_, e) => Record(e.Data);
        process.ErrorDataReceived += (_, e) => Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => address.TrySetException(new InvalidOperationException("The server exited before listening."));
        if (!address.Task.Wait(timeout ?? TimeSpan.FromSeconds(60)) || address.Task.IsFaulted)
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit();
            string text;
            lock (lines) text = string.Join('\n', lines);
            throw new InvalidOperationException("The server did not start listening:\n" + text);
        }
        var server = new ServingProcess(process, address.Task.Result);
        lock (lines) server.output.AddRange(lines);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (server.output) server.output.Add(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (server.output) server.output.Add(e.Data); };
        return server;
    }

    /// <summary>The server's /stats counters, as JSON text.</summary>
    public Task<string> StatsAsync() => Client.GetStringAsync("stats");

    /// <summary>Asks for a graceful shutdown (POST /shutdown) and waits for the process to exit; returns its exit code.</summary>
    /// <param name="timeout">How long to wait before killing it (default 2 minutes).</param>
    public async Task<int> ShutdownAsync(TimeSpan? timeout = null)
    {
        if (!process.HasExited)
        {
            try
            {
                using var response = await Client.PostAsync("shutdown", null).ConfigureAwait(false);
            }
            catch (HttpRequestException)
            {
            }
        }
        using var wait = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().ConfigureAwait(false);
        }
        return process.ExitCode;
    }

    /// <summary>Kills the server if it is still running.</summary>
    public void Dispose()
    {
        AppDomain.CurrentDomain.ProcessExit -= KillOnExit;
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        process.Dispose();
        Client.Dispose();
    }

    void KillOnExit(object? sender, EventArgs e)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }

    static string DotNetHost() => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
