using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Book.Native;

namespace Book.Kernel;

/// <summary>
/// Writes the kernelspec (kernel.json and a logo) that tells Jupyter how to start this kernel:
/// the running `book` executable with `kernel start --connection-file {connection_file}`.
/// </summary>
public static class KernelSpecInstaller
{
    public const string KernelName = KernelNames.Book;
    public const string DisplayName = KernelNames.BookDisplayName;

    /// <summary>The user's Jupyter data directory's kernels folder (what `jupyter kernelspec install --user` uses).</summary>
    public static string UserKernelsDirectory() => Path.Combine(UserDataDirectory(), "kernels");

    /// <summary>DIR/share/jupyter/kernels, as `jupyter kernelspec install --prefix DIR` (for example a virtualenv).</summary>
    public static string PrefixKernelsDirectory(string prefix) => Path.Combine(prefix, "share", "jupyter", "kernels");

    /// <summary>DIR/kernels for a directory that will be named in JUPYTER_PATH.</summary>
    public static string JupyterPathKernelsDirectory(string jupyterPathEntry) => Path.Combine(jupyterPathEntry, "kernels");

    /// <summary>The command that starts this same executable, whether it runs as an apphost or under `dotnet`.</summary>
    public static IReadOnlyList<string> CurrentExecutable()
    {
        var process = Environment.ProcessPath ?? throw new InvalidOperationException("The running executable's path is unknown.");
        var name = Path.GetFileNameWithoutExtension(process);
        if (!name.Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            return [process];
        var entry = Assembly.GetEntryAssembly()?.Location;
        if (string.IsNullOrEmpty(entry))
            throw new InvalidOperationException("Running under `dotnet`, but the entry assembly's path is unknown.");
        return [process, entry];
    }

    /// <summary>Writes kernelsDirectory/csharp-book/ and returns its path. Replaces an earlier install.</summary>
    public static string Install(string kernelsDirectory, IReadOnlyList<string>? executable = null)
    {
        var specDirectory = Path.Combine(Path.GetFullPath(kernelsDirectory), KernelName);
        Directory.CreateDirectory(specDirectory);
        File.WriteAllText(Path.Combine(specDirectory, "kernel.json"), KernelJson(executable ?? CurrentExecutable()));
        File.WriteAllText(Path.Combine(specDirectory, "logo-svg.svg"), LogoSvg);
        return specDirectory;
    }

    public static string KernelJson(IReadOnlyList<string> executable)
    {
        var argv = new JsonArray();
        foreach (var part in executable.Concat(["kernel", "start", "--connection-file", "{connection_file}"]))
            argv.Add(part);
        var spec = new JsonObject
        {
            ["argv"] = argv,
            ["display_name"] = DisplayName,
            ["language"] = "C#",
            // Interrupts arrive as interrupt_request on control: the same on every OS (Windows has no SIGINT to send).
            ["interrupt_mode"] = "message",
            ["metadata"] = new JsonObject { ["debugger"] = false },
        };
        return spec.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    private static string UserDataDirectory()
    {
        // The same lookup as jupyter_core.paths.jupyter_data_dir().
        var explicitDirectory = Environment.GetEnvironmentVariable("JUPYTER_DATA_DIR");
        if (!string.IsNullOrEmpty(explicitDirectory))
            return explicitDirectory;
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (OperatingSystem.IsWindows())
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "jupyter");
        if (OperatingSystem.IsMacOS())
            return Path.Combine(home, "Library", "Jupyter");
        var xdgData = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        return Path.Combine(string.IsNullOrEmpty(xdgData) ? Path.Combine(home, ".local", "share") : xdgData, "jupyter");
    }

    // JupyterLab shows logo-svg.svg in its launcher; a text file costs nothing to ship.
    private const string LogoSvg = """
        <svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">
          <rect width="64" height="64" rx="12" fill="#512bd4"/>
          <text x="32" y="42" font-family="Helvetica, Arial, sans-serif" font-size="28" font-weight="bold"
                text-anchor="middle" fill="#ffffff">C#</text>
        </svg>
        """;
}
