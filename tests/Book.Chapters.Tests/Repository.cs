using System.Diagnostics;
using Book.Site;

namespace Book.Chapters.Tests;

/// <summary>The book's own repository, and its `book` tool run as CI runs it.</summary>
static class Repository
{
    public static string Root { get; } = BookRoot.FindFrom(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException("book.yml not found above " + AppContext.BaseDirectory);

    public static string BookYml => Path.Combine(Root, "book.yml");

    public static IEnumerable<object[]> Chapters() =>
        BookToc.Load(BookYml).Parts.SelectMany(p => p.Chapters).Select(c => new object[] { c.File });

    public static (int ExitCode, string Output) Book(TimeSpan limit, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Root };
        start.ArgumentList.Add(Path.Combine(Root, "artifacts", "book", "book.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["BOOK_PROFILE"] = "smoke";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"book {string.Join(' ', args)} ran past {limit}");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
