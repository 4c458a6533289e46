using System.Diagnostics;
using System.Text;

namespace Book.Kernel.Tests.Integration;

/// <summary>One finished child process: exit code and everything it printed.</summary>
sealed record ProcessRun(int ExitCode, string Output, string Error)
{
    public string Describe(string what) => $"{what} exited with {ExitCode}.\n--- stdout ---\n{Output}\n--- stderr ---\n{Error}";

    public static ProcessRun Start(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment,
        TimeSpan timeout, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment)
            start.Environment[name] = value;

        using var process = new Process { StartInfo = start };
        var output = new StringBuilder();
        var error = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (error) error.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            lock (error) error.AppendLine($"(killed after {timeout.TotalSeconds:0} s)");
            return new ProcessRun(-1, output.ToString(), error.ToString());
        }
        process.WaitForExit(); // Drains the asynchronous readers.
        return new ProcessRun(process.ExitCode, output.ToString(), error.ToString());
    }
}
