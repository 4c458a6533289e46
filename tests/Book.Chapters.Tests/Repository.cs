using System.Diagnostics;
using Book.Native;
using Book.Site;
using Xunit;

namespace Book.Chapters.Tests;

/// <summary>The book's own repository, and its `book` tool run as CI runs it.</summary>
static class Repository
{
    public static string Root { get; } = BookRoot.FindFrom(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException("book.yml not found above " + AppContext.BaseDirectory);

    public static string BookYml => Path.Combine(Root, "book.yml");

    public static IEnumerable<object[]> Chapters() =>
        BookToc.Load(BookYml).Parts.SelectMany(p => p.Chapters).Select(c => new object[] { c.File });

    public static (int ExitCode, string Output) Book(TimeSpan limit, params string[] args) =>
        Run(limit, "dotnet", new[] { Path.Combine(Root, "artifacts", "book", "book.dll") }.Concat(args).ToArray());

    /// <summary>Runs a program in the book's root with BOOK_PROFILE=smoke; stops it (and its children) past the limit.</summary>
    public static (int ExitCode, string Output) Run(TimeSpan limit, string program, params string[] args) =>
        Run(limit, new Dictionary<string, string>(), program, args);

    /// <summary>As <see cref="Run(TimeSpan, string, string[])"/>, with more environment variables.</summary>
    public static (int ExitCode, string Output) Run(TimeSpan limit, IReadOnlyDictionary<string, string> environment, string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Root };
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        start.Environment["BOOK_PROFILE"] = "smoke";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} ran past {limit}");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>Debian's nbformat validates an executed notebook (jupyter-nbconvert's python3-nbformat, which CI installs).</summary>
    public static void AssertValidNotebook(string path)
    {
        Assert.True(File.Exists(path), $"no executed notebook at {path}");
        var (code, output) = Run(TimeSpan.FromMinutes(1), "/usr/bin/python3", "-c",
            "import sys, nbformat; nbformat.validate(nbformat.read(sys.argv[1], as_version=4)); print('valid')", path);
        Assert.True(code == 0 && output.Contains("valid"), $"{path} is not a valid notebook:\n{output}");
    }
}
