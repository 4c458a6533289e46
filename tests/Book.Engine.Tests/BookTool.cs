using System.Diagnostics;

namespace Book.Engine.Tests;

/// <summary>Runs the real `book` tool (artifacts/book/book.dll) as a reader or CI would.</summary>
static class BookTool
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string NotebookPath(string name) => Path.Combine(AppContext.BaseDirectory, "notebooks", name);

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Directory.Packages.props"))) return dir.FullName;
        throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
    }

    public static (int ExitCode, string Output) Run(string workingDirectory, params string[] args)
    {
        string tool = Path.Combine(RepositoryRoot, "artifacts", "book", "book.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        start.ArgumentList.Add(tool);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"book {string.Join(' ', args)} did not finish");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
