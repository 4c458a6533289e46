namespace Book.Kernel.Tests.Integration;

/// <summary>
/// The csharp-book kernelspec, installed by the real CLI (`book kernel install --path`) into a temporary
/// directory that the Jupyter processes see as JUPYTER_PATH, so nothing touches the user's own Jupyter.
/// </summary>
public sealed class InstalledKernelSpec : IDisposable
{
    readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("book-kernel-tests-");
    readonly Lazy<string> _installed;

    public InstalledKernelSpec() => _installed = new Lazy<string>(Install);

    public string Root => _root.FullName;

    /// <summary>What Jupyter processes need: the temporary JUPYTER_PATH, and private data and runtime folders.</summary>
    public IReadOnlyDictionary<string, string> Environment()
    {
        _ = _installed.Value;
        return new Dictionary<string, string>
        {
            ["JUPYTER_PATH"] = _root.FullName,
            ["JUPYTER_DATA_DIR"] = Path.Combine(_root.FullName, "data"),
            ["JUPYTER_RUNTIME_DIR"] = Path.Combine(_root.FullName, "runtime"),
            ["JUPYTER_CONFIG_DIR"] = Path.Combine(_root.FullName, "config"),
            ["JUPYTER_PLATFORM_DIRS"] = "1",
            ["PYTHONDONTWRITEBYTECODE"] = "1",
        };
    }

    string Install()
    {
        if (!JupyterTools.Installed)
            throw new InvalidOperationException(JupyterTools.MissingMessage);
        if (!File.Exists(RepositoryLayout.BookDll))
            throw new InvalidOperationException($"{RepositoryLayout.BookDll} is missing: build lib/Book.Cli (building this test project does).");

        // Under `dotnet test` this names the same dotnet host the build used.
        var dotnet = System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var run = ProcessRun.Start(dotnet, [RepositoryLayout.BookDll, "kernel", "install", "--path", _root.FullName],
            new Dictionary<string, string>(), TimeSpan.FromMinutes(1));
        var kernelJson = Path.Combine(_root.FullName, "kernels", "csharp-book", "kernel.json");
        if (run.ExitCode != 0 || !File.Exists(kernelJson))
            throw new InvalidOperationException(run.Describe("book kernel install"));
        return kernelJson;
    }

    public void Dispose()
    {
        try
        {
            _root.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A kernel that was killed may still be releasing its files; the OS cleans temp eventually.
        }
    }
}
