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
        // A temporary folder of its own, to see what the child leaves behind there (its claims file).
        string temp = Directory.CreateDirectory(Path.Combine(dir, "tmp")).FullName;
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["TMPDIR"] = temp;
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
        // The child created its claims file before the endless cell; it must not outlive the child.
        Assert.Empty(Directory.GetFiles(temp, "book-*"));
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

    /// <summary>Runs a notebook whose fourth cell (the third code cell) ends its process; returns the tool's output and the executed copy.</summary>
    static (string Output, JsonNode Executed) RunDying(string notebook)
    {
        string dir = Directory.CreateTempSubdirectory("book-dies-").FullName;
        File.Copy(BookTool.NotebookPath(notebook), Path.Combine(dir, notebook));
        string outDir = Path.Combine(dir, "out");
        var (code, output) = BookTool.Run(dir, "run", notebook, "--out", outDir);
        Assert.Equal(1, code);
        Assert.Contains("crashed", output);
        string executed = Path.Combine(outDir, notebook);
        Assert.True(File.Exists(executed), "no executed copy was written:\n" + output);
        var copy = JsonNode.Parse(File.ReadAllText(executed))!;
        Assert.Equal("crashed", copy["metadata"]!["book"]!["status"]!.GetValue<string>());
        // The cells that finished keep their outputs, an updated display included; the cell after the dying one never ran.
        var cells = copy["cells"]!.AsArray();
        Assert.Equal("first cell ran\n", cells[0]!["outputs"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(1, cells[0]!["execution_count"]!.GetValue<int>());
        Assert.Equal("step 2", cells[2]!["outputs"]![0]!["data"]!["text/plain"]!.GetValue<string>());
        var error = cells[3]!["outputs"]!.AsArray().Last()!;
        Assert.Equal("error", error["output_type"]!.GetValue<string>());
        Assert.Contains($"{notebook}, cell 4", error["evalue"]!.GetValue<string>());
        Assert.Empty(cells[4]!["outputs"]!.AsArray());
        return (output, copy);
    }

    [Fact]
    public void Environment_Exit_in_a_cell_keeps_earlier_outputs_and_names_the_cell()
    {
        var (output, copy) = RunDying("exits.ipynb");
        Assert.Contains("exits.ipynb, cell 4: the process running it ended with exit code 3 while this cell ran", output);
        // What the dying cell printed, and the claim checked before, are kept.
        Assert.Equal("about to exit\n", copy["cells"]![3]!["outputs"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("checked before the exit", copy["metadata"]!["book"]!["claims"]![0]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void A_stack_overflow_keeps_earlier_outputs_and_names_the_cell()
    {
        var (output, _) = RunDying("overflow.ipynb");
        Assert.Contains("overflow.ipynb, cell 4: stack overflow", output);
        Assert.Contains("Deeper", output); // the recursing method, from the runtime's report
    }

    [Fact]
    public void An_exception_on_a_background_thread_keeps_earlier_outputs_and_names_the_cell()
    {
        var (output, _) = RunDying("thread-fault.ipynb");
        Assert.Contains("thread-fault.ipynb, cell 4: an exception thrown on another thread was not handled", output);
        Assert.Contains("System.InvalidOperationException: x", output);
    }
}
