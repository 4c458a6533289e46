using System.Diagnostics;
using System.Text.Json.Nodes;
using Xunit;

namespace Book.Engine.Tests;

/// <summary>
/// `book run` under faults: a killed parent leaves no child running and nothing written, and a copy from an earlier
/// run that a new run did not replace is marked stale, never left "passed".
/// </summary>
public class RunnerFaultTests
{
    static string Status(string executed) => JsonNode.Parse(File.ReadAllText(executed))!["metadata"]!["book"]!["status"]!.GetValue<string>();

    /// <summary>Processes whose command line holds every one of the given words.</summary>
    static List<int> ProcessesWith(params string[] words)
    {
        var found = new List<int>();
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
            string commandLine;
            try { commandLine = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' '); }
            catch (IOException) { continue; }
            catch (UnauthorizedAccessException) { continue; }
            if (words.All(commandLine.Contains)) found.Add(pid);
        }
        return found;
    }

    [Fact]
    public void Killing_the_parent_stops_the_child_and_writes_nothing()
    {
        if (!OperatingSystem.IsLinux()) return; // reads /proc
        string dir = Directory.CreateTempSubdirectory("book-kill-").FullName;
        File.Copy(BookTool.NotebookPath("endless.ipynb"), Path.Combine(dir, "endless.ipynb"));
        string outDir = Path.Combine(dir, "out");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(BookTool.RepositoryRoot, "artifacts", "book", "book.dll"), "run", "endless.ipynb", "--out", outDir }) start.ArgumentList.Add(a);
        using var parent = Process.Start(start)!;
        string notebook = Path.Combine(dir, "endless.ipynb");
        var clock = Stopwatch.StartNew();
        List<int> children;
        while ((children = ProcessesWith("run-one", notebook)).Count == 0 && clock.Elapsed < TimeSpan.FromSeconds(60)) Thread.Sleep(100);
        Assert.NotEmpty(children);
        Thread.Sleep(2000); // the child is inside the endless cell by now
        parent.Kill(entireProcessTree: false); // SIGKILL to the parent only
        parent.WaitForExit();

        clock.Restart();
        while (ProcessesWith("run-one", notebook).Count > 0 && clock.Elapsed < TimeSpan.FromSeconds(15)) Thread.Sleep(100);
        var orphans = ProcessesWith("run-one", notebook);
        foreach (var pid in orphans) Process.GetProcessById(pid).Kill();
        Assert.Empty(orphans);
        Assert.False(Directory.Exists(outDir) && Directory.EnumerateFileSystemEntries(outDir).Any(),
            "nothing may be written: " + string.Join(", ", Directory.Exists(outDir) ? Directory.GetFileSystemEntries(outDir) : []));
    }

    [Fact]
    public void A_copy_a_later_run_did_not_replace_is_marked_stale()
    {
        string dir = Directory.CreateTempSubdirectory("book-stale-").FullName;
        string source = Path.Combine(dir, "nb.ipynb");
        File.Copy(BookTool.NotebookPath("ok.ipynb"), source);
        string outDir = Path.Combine(dir, "out");
        Assert.Equal(0, BookTool.Run(dir, "run", "nb.ipynb", "--out", outDir).ExitCode);
        string executed = Path.Combine(outDir, "nb.ipynb");
        Assert.Equal("passed", Status(executed));

        // The source changes into one that never ends; its run times out and must not leave the old copy "passed".
        File.Copy(BookTool.NotebookPath("endless.ipynb"), source, overwrite: true);
        var (code, output) = BookTool.Run(dir, "run", "nb.ipynb", "--out", outDir, "--notebook-timeout", "0.1");
        Assert.Equal(1, code);
        Assert.Contains("did not finish", output);
        Assert.Equal("stale", Status(executed));
        Assert.Empty(Directory.GetFiles(outDir, "*.tmp", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFiles(outDir, ".*", SearchOption.AllDirectories));
    }
}
