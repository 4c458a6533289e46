using System.Diagnostics;

namespace TransformersBook.Distributed;

/// <summary>What an <c>mpirun</c> job returned: exit code, output and how long it took.</summary>
public sealed record MpiJobResult(int ExitCode, string Output, string Errors, TimeSpan Elapsed, string CommandLine)
{
    /// <summary>Whether every process exited with 0.</summary>
    public bool Succeeded => ExitCode == 0;
}

/// <summary>
/// Starts a .NET program as N MPI processes with Open MPI's <c>mpirun</c>. The book's machines (and CI) run as root,
/// which Open MPI refuses unless told: the job passes <c>--allow-run-as-root</c>. <c>--oversubscribe</c> lets N exceed
/// the cores (a 2-core machine runs 4 processes). With a hostfile the same command starts processes on several machines.
/// </summary>
public static class MpiLauncher
{
    /// <summary>The data-parallel worker (tools/DataParallelWorker), relative to the book's root, once the solution is built.</summary>
    public const string DataParallelWorker = "artifacts/data-parallel/DataParallelWorker.dll";

    /// <summary>
    /// The book's root: found upwards from this library's own file (artifacts/lib/), else from the current folder;
    /// null when neither lies inside the book.
    /// </summary>
    public static string? BookFolder() =>
        Book.Native.BookRoot.FindFrom(Path.GetDirectoryName(typeof(MpiLauncher).Assembly.Location) is { Length: > 0 } here ? here : Directory.GetCurrentDirectory())
        ?? Book.Native.BookRoot.FindFrom(Directory.GetCurrentDirectory());

    /// <summary>The full path of <c>mpirun</c> on PATH, or null when Open MPI is not installed.</summary>
    public static string? FindMpirun()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var folder in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            // mpirun takes its installation prefix from its own path: /bin/mpirun, where /bin links to /usr/bin,
            // would give the prefix "/", which it rejects. The folder's real path gives /usr.
            var directory = new DirectoryInfo(folder);
            if (!directory.Exists) continue;
            var realFolder = directory.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? directory.FullName;
            var candidate = Path.Combine(realFolder, "mpirun");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>The arguments of <c>mpirun</c> that start <paramref name="processes"/> copies of a .NET program.</summary>
    /// <param name="processes">N, the number of processes.</param>
    /// <param name="assemblyPath">The program's .dll, run by <c>dotnet</c>.</param>
    /// <param name="programArguments">The program's own arguments.</param>
    /// <param name="hostfile">A hostfile (one machine per line, <c>node1 slots=8</c>), or null for this machine.</param>
    public static IReadOnlyList<string> Arguments(int processes, string assemblyPath, IEnumerable<string> programArguments, string? hostfile = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(processes, 1);
        var arguments = new List<string> { "--allow-run-as-root", "--oversubscribe", "-np", processes.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (hostfile is not null) arguments.AddRange(new[] { "--hostfile", hostfile });
        arguments.AddRange(new[] { DotNetHost(), assemblyPath });
        arguments.AddRange(programArguments);
        return arguments;
    }

    /// <summary>Runs the job and waits for it (at most <paramref name="timeout"/>, then kills it).</summary>
    /// <exception cref="InvalidOperationException">mpirun is not installed.</exception>
    public static MpiJobResult Run(int processes, string assemblyPath, IEnumerable<string> programArguments, TimeSpan timeout, string? hostfile = null)
    {
        var mpirun = FindMpirun() ?? throw new InvalidOperationException("mpirun is not on PATH: install Open MPI (Debian: apt-get install openmpi-bin libopenmpi-dev).");
        var start = new ProcessStartInfo(mpirun) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var arguments = Arguments(processes, assemblyPath, programArguments, hostfile);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // The same permission as --allow-run-as-root, for the processes mpirun starts on other machines.
        start.Environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1";
        start.Environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1";
        // Containers often forbid the cross-memory attach that Open MPI's shared-memory transport uses for large messages.
        start.Environment["OMPI_MCA_btl_vader_single_copy_mechanism"] = "none";
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("mpirun did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        var commandLine = "mpirun " + string.Join(' ', arguments);
        return new MpiJobResult(process.HasExited ? process.ExitCode : -1, output.Result, errors.Result, clock.Elapsed, commandLine);
    }

    static string DotNetHost() => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
