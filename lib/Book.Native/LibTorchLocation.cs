namespace Book.Native;

/// <summary>
/// Where TorchSharp's native pieces are: its wrapper (libLibTorchSharp.so) and the libtorch folder it sits on,
/// which is either a libtorch NuGet package or an existing PyTorch install (for CUDA without TorchSharp's CUDA packages).
/// </summary>
public sealed record LibTorchLocation(string LibTorchSharp, string LibTorchDirectory, string Source)
{
    public bool HasCuda => File.Exists(Path.Combine(LibTorchDirectory, "libtorch_cuda.so"));

    const string WrapperFile = "libLibTorchSharp.so";
    const string Rid = "linux-x64";

    /// <summary>
    /// Finds TorchSharp's wrapper next to the TorchSharp assembly (NuGet layout or an app's output folder) and libtorch
    /// from BOOK_LIBTORCH, the app folder, the native search directories the host was given, or the NuGet cache.
    /// </summary>
    public static LibTorchLocation? Discover(string torchSharpAssemblyPath, IEnumerable<string>? extraNativeDirectories = null)
    {
        var searchDirs = NativeSearchDirectories(torchSharpAssemblyPath, extraNativeDirectories).ToList();
        string? wrapper = searchDirs.Select(d => Path.Combine(d, WrapperFile)).FirstOrDefault(File.Exists);
        if (wrapper is null) return null;

        if (Explicit(wrapper) is { } chosen) return chosen;
        string? dir = searchDirs.FirstOrDefault(d => File.Exists(Path.Combine(d, "libtorch_cpu.so")))
            ?? NuGetLibTorchDirectory();
        return dir is null ? null : new LibTorchLocation(wrapper, dir, "libtorch package");
    }

    /// <summary>The libtorch BOOK_LIBTORCH names, or null when it is unset.</summary>
    /// <exception cref="DirectoryNotFoundException">BOOK_LIBTORCH names a folder without libtorch_cpu.so.</exception>
    public static LibTorchLocation? Explicit(string wrapper)
    {
        string? fromEnv = Environment.GetEnvironmentVariable(BookEnvironment.LibTorch);
        if (string.IsNullOrEmpty(fromEnv)) return null;
        if (!File.Exists(Path.Combine(fromEnv, "libtorch_cpu.so")))
            throw new DirectoryNotFoundException($"{BookEnvironment.LibTorch}={fromEnv} does not contain libtorch_cpu.so.");
        return new LibTorchLocation(wrapper, fromEnv, LibTorchRule.ExplicitSource);
    }

    static IEnumerable<string> NativeSearchDirectories(string torchSharpAssemblyPath, IEnumerable<string>? extra)
    {
        foreach (var d in extra ?? Array.Empty<string>()) yield return d;
        string assemblyDir = Path.GetDirectoryName(torchSharpAssemblyPath) ?? ".";
        yield return assemblyDir;
        yield return Path.Combine(assemblyDir, "runtimes", Rid, "native");
        // NuGet layout: <root>/torchsharp/<version>/lib/<tfm>/TorchSharp.dll next to runtimes/<rid>/native.
        yield return Path.GetFullPath(Path.Combine(assemblyDir, "..", "..", "runtimes", Rid, "native"));
        yield return AppContext.BaseDirectory;
        yield return Path.Combine(AppContext.BaseDirectory, "runtimes", Rid, "native");
        if (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") is string hostDirs)
            foreach (var d in hostDirs.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)) yield return d;
    }

    /// <summary>The newest libtorch-cpu package in the NuGet cache (the one TorchSharp-cpu pulls in).</summary>
    static string? NuGetLibTorchDirectory()
    {
        string root = NuGetPackagesRoot();
        string package = Path.Combine(root, $"libtorch-cpu-{Rid}");
        if (!Directory.Exists(package)) return null;
        return Directory.GetDirectories(package)
            .OrderByDescending(v => Version.TryParse(Path.GetFileName(v), out var parsed) ? parsed : new Version())
            .Select(v => Path.Combine(v, "runtimes", Rid, "native"))
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "libtorch_cpu.so")));
    }

    public static string NuGetPackagesRoot()
    {
        string? env = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        return !string.IsNullOrEmpty(env)
            ? env
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
    }
}
