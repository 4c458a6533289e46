using System.Diagnostics;
using System.Text.Json.Nodes;
using Xunit;

namespace Book.Engine.Tests;

/// <summary>
/// The offline GPU-server case on this machine: packages come from a bundle (no restore), libtorch from
/// BOOK_LIBTORCH (here the CPU libtorch package's folder stands in for a PyTorch install's torch/lib).
/// </summary>
public class OfflineBundleTests
{
    [Fact]
    public void A_bundle_without_libtorch_runs_a_torch_notebook_without_restoring()
    {
        string dir = Directory.CreateTempSubdirectory("book-bundle-").FullName;
        File.Copy(BookTool.NotebookPath("torch-location.ipynb"), Path.Combine(dir, "torch-location.ipynb"));
        string bundle = Path.Combine(dir, "bundle");
        var (code, output) = BookTool.Run(dir, "bundle", "torch-location.ipynb", "--out", bundle, "--without-libtorch");
        Assert.True(code == 0, output);
        Assert.False(Directory.Exists(Path.Combine(bundle, "nuget", "libtorch-cpu-linux-x64")));
        Assert.True(Directory.Exists(Path.Combine(bundle, "nuget", "torchsharp", "0.107.0")));

        string libtorch = Path.Combine(Book.Native.LibTorchLocation.NuGetPackagesRoot(), "libtorch-cpu-linux-x64", "2.10.0", "runtimes", "linux-x64", "native");
        var (runCode, runOutput) = Run(dir, new()
        {
            ["BOOK_CACHE"] = Path.Combine(bundle, "cache"),
            ["NUGET_PACKAGES"] = Path.Combine(bundle, "nuget"),
            ["BOOK_LIBTORCH"] = libtorch,
        }, "run", "torch-location.ipynb", "--out", Path.Combine(dir, "out"));
        Assert.True(runCode == 0, runOutput);
        var cell = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "out", "torch-location.ipynb")))!["cells"]![1]!;
        string printed = string.Concat(cell["outputs"]!.AsArray().Where(o => o!["name"]?.GetValue<string>() == "stdout").Select(o => o!["text"]!.GetValue<string>()));
        Assert.StartsWith(Path.Combine(bundle, "nuget", "torchsharp"), printed.Trim());
        Assert.Equal("4", cell["outputs"]!.AsArray().Single(o => o!["output_type"]!.GetValue<string>() == "execute_result")!["data"]!["text/plain"]!.GetValue<string>());
        // Nothing was restored on the "offline" side: the bundle's resolution folders hold only the copied assets.
        Assert.Empty(Directory.GetFiles(Path.Combine(bundle, "cache", "packages"), "restore.csproj", SearchOption.AllDirectories));
    }

    static (int, string) Run(string dir, Dictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir };
        start.ArgumentList.Add(Path.Combine(BookTool.RepositoryRoot, "artifacts", "book", "book.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (k, v) in environment) start.Environment[k] = v;
        using var p = Process.Start(start)!;
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, o.Result + e.Result);
    }
}
