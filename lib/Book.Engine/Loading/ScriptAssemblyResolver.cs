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
        if (wrapper is null)
        {
            TorchSharpNativeResolver.TryInstall(assembly, NativeLibraries.Values.Select(Path.GetDirectoryName).OfType<string>().Distinct());
            return;
        }
        // Decided here because it must happen before the first torch call, which may precede the chapter's setup call;
        // the rule is the one setup applies (Book.Native's LibTorchRule), so both reach the same libtorch.
        var start = LibTorchLocation.Explicit(wrapper)
            ?? (libTorchCpu is null ? null : new LibTorchLocation(wrapper, Path.GetDirectoryName(libTorchCpu)!, "restored packages"));
        bool cudaWanted = !string.Equals(Environment.GetEnvironmentVariable(BookEnvironment.Device), "cpu", StringComparison.OrdinalIgnoreCase);
        var choice = LibTorchRule.Choose(start, cudaWanted, NvidiaDriver.Evidence(), LibTorchRule.ExpectedVersion(assembly),
            () => (PyTorchInstall.Find(out string problem), problem));
        if (choice.Location is { } location) TorchSharpNativeResolver.Install(assembly, location);
        else TorchSharpNativeResolver.TryInstall(assembly, NativeLibraries.Values.Select(Path.GetDirectoryName).OfType<string>().Distinct());
    }
}
