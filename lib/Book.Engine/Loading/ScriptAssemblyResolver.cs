using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using Book.Engine.Packages;
using Book.Native;

namespace Book.Engine.Loading;

/// <summary>
/// Makes what notebooks reference loadable in this process: package assemblies and assemblies next to a
/// <c>#r "path.dll"</c> load into the default context (one copy of each, shared with the engine, so formatters a
/// library registers are the ones the engine uses), native libraries resolve from the packages' runtimes folders,
/// and TorchSharp gets its native resolver the moment its assembly loads, before any torch call.
/// </summary>
public static class ScriptAssemblyResolver
{
    static readonly object Gate = new();
    static readonly Dictionary<string, string> RuntimeAssemblies = new(StringComparer.OrdinalIgnoreCase);
    static readonly Dictionary<string, string> NativeLibraries = new(StringComparer.Ordinal);
    static readonly List<string> ProbeDirectories = new();
    static bool hooked;

    public static void Add(RestoredPackages packages)
    {
        lock (Gate)
        {
            Hook();
            foreach (var (name, path) in packages.RuntimeAssemblies) RuntimeAssemblies.TryAdd(name, path);
            foreach (var (name, path) in packages.NativeLibraries) NativeLibraries.TryAdd(name, path);
        }
    }

    public static void AddProbeDirectory(string directory)
    {
        lock (Gate)
        {
            Hook();
            if (!ProbeDirectories.Contains(directory)) ProbeDirectories.Add(directory);
        }
    }

    /// <summary>The loaded assembly of that simple name, or the one loaded now from the known runtime files.</summary>
    public static Assembly? Load(string simpleName)
    {
        var loaded = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == simpleName);
        if (loaded is not null) return loaded;
        string? path = Find(simpleName);
        return path is null ? null : AssemblyLoadContext.Default.LoadFromAssemblyPath(path);
    }

    static string? Find(string simpleName)
    {
        lock (Gate)
        {
            if (RuntimeAssemblies.TryGetValue(simpleName, out var path)) return path;
            return ProbeDirectories.Select(d => Path.Combine(d, simpleName + ".dll")).FirstOrDefault(File.Exists);
        }
    }

    static void Hook()
    {
        if (hooked) return;
        hooked = true;
        AssemblyLoadContext.Default.Resolving += (context, name) =>
            name.Name is { } simple && Find(simple) is { } path ? context.LoadFromAssemblyPath(path) : null;
        AssemblyLoadContext.Default.ResolvingUnmanagedDll += (assembly, name) =>
            // TorchSharp's own libraries are TorchSharpNativeResolver's to answer (it may load a patched copy).
            assembly.GetName().Name == "TorchSharp" && TorchSharpNativeResolver.IsTorchLibrary(name) ? IntPtr.Zero : ResolveNative(name);
        AppDomain.CurrentDomain.AssemblyLoad += (_, e) => OnAssemblyLoaded(e.LoadedAssembly);
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies()) OnAssemblyLoaded(assembly);
    }

    static IntPtr ResolveNative(string name)
    {
        string? path;
        lock (Gate)
        {
            path = new[] { name, $"{name}.so", $"lib{name}.so", $"{name}.dylib", $"lib{name}.dylib", $"{name}.dll" }
                .Select(candidate => NativeLibraries.TryGetValue(candidate, out var p) ? p : null)
                .FirstOrDefault(p => p is not null);
        }
        return path is not null && NativeLibrary.TryLoad(path, out var handle) ? handle : IntPtr.Zero;
    }

    static void OnAssemblyLoaded(Assembly assembly)
    {
        if (assembly.GetName().Name != "TorchSharp" || assembly.IsDynamic) return;
        string? wrapper, libTorchCpu;
        lock (Gate)
        {
            NativeLibraries.TryGetValue("libLibTorchSharp.so", out wrapper);
            NativeLibraries.TryGetValue("libtorch_cpu.so", out libTorchCpu);
        }
        var (libTorchDir, source) = ChooseLibTorch(libTorchCpu);
        if (wrapper is not null && libTorchDir is not null)
            TorchSharpNativeResolver.Install(assembly, new LibTorchLocation(wrapper, libTorchDir, source));
        else
            TorchSharpNativeResolver.TryInstall(assembly, NativeLibraries.Values.Select(Path.GetDirectoryName).OfType<string>().Distinct());
    }

    /// <summary>
    /// BOOK_LIBTORCH if set; else, when CUDA may be wanted (BOOK_DEVICE is not cpu) and an NVIDIA driver is present,
    /// the lib folder of a CUDA PyTorch install of the same libtorch minor version; else the restored libtorch package.
    /// Decided here because it must happen before the first torch call, which may precede the chapter's setup call.
    /// </summary>
    static (string? Directory, string Source) ChooseLibTorch(string? packagedLibTorchCpu)
    {
        string? fromEnv = Environment.GetEnvironmentVariable("BOOK_LIBTORCH");
        if (!string.IsNullOrEmpty(fromEnv)) return (fromEnv, "BOOK_LIBTORCH");
        string? packaged = packagedLibTorchCpu is null ? null : Path.GetDirectoryName(packagedLibTorchCpu);
        bool cpuOnly = string.Equals(Environment.GetEnvironmentVariable("BOOK_DEVICE"), "cpu", StringComparison.OrdinalIgnoreCase);
        if (!cpuOnly && NvidiaDriver.Evidence() is not null && PyTorchInstall.Find(out _) is { HasCudaLibTorch: true } pyTorch)
        {
            // libtorch-cpu-linux-x64/<version>/runtimes/...: the version TorchSharp was built against. A different minor
            // version may still work (PyTorch 2.11 does with TorchSharp 0.107), so it is used, and the difference said.
            string? expected = packaged is null ? null : new DirectoryInfo(packaged).Parent?.Parent?.Name;
            if (expected is not null && !pyTorch.Matches(expected))
                TorchSharpNativeResolver.Log($"using {pyTorch} for CUDA; TorchSharp was built against libtorch {expected}. Set BOOK_DEVICE=cpu if it misbehaves.");
            return (pyTorch.LibDirectory, pyTorch.ToString());
        }
        return (packaged, "restored packages");
    }
}
