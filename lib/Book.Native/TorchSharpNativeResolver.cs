using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace Book.Native;

/// <summary>
/// Resolves TorchSharp's native imports ("LibTorchSharp", "torch_cpu", "torch_cuda", ...) to files we choose:
/// libtorch from <see cref="LibTorchLocation"/>, and LibTorchSharp through <see cref="LibTorchSharpCompatibility"/>.
/// Must be installed before the first torch call; TorchSharp itself sets no resolver, so ours is the only one.
/// Two hooks are needed: the DllImport resolver serves TorchSharp's [DllImport]s, and the load context's
/// ResolvingUnmanagedDll event serves its own NativeLibrary.TryLoad(name, assembly) probing, which skips resolvers.
/// </summary>
public static class TorchSharpNativeResolver
{
    static readonly object Gate = new();
    static LibTorchLocation? installed;

    /// <summary>
    /// Where log lines go: <see cref="NativeLog"/> by default, not stderr, which a notebook would show under the setup
    /// cell of every chapter.
    /// </summary>
    public static Action<string> Log { get; set; } = NativeLog.Write;

    /// <summary>
    /// The LibTorchSharp copy loaded instead of the package's file, when this system's libstdc++ needed one
    /// (<see cref="LibTorchSharpCompatibility"/>); null before loading or when the package's own file loaded.
    /// </summary>
    public static string? CompatibilityCopy { get { lock (Gate) return compatibilityCopy; } }

    static string? compatibilityCopy;

    public static LibTorchLocation? Installed { get { lock (Gate) return installed; } }

    /// <summary>Installs the resolver for the TorchSharp assembly, once; later calls return the first location.</summary>
    public static LibTorchLocation Install(Assembly torchSharp, LibTorchLocation location)
    {
        lock (Gate)
        {
            if (installed is not null) return installed;
            if (!OperatingSystem.IsLinux())
            {
                // Elsewhere TorchSharp's own loading works; nothing to adjust.
                installed = location;
                return location;
            }
            NativeLibrary.SetDllImportResolver(torchSharp, (name, _, _) => Resolve(name, location));
            (AssemblyLoadContext.GetLoadContext(torchSharp) ?? AssemblyLoadContext.Default).ResolvingUnmanagedDll +=
                (assembly, name) => assembly == torchSharp ? Resolve(name, location) : IntPtr.Zero;
            installed = location;
            return location;
        }
    }

    /// <summary>Discovers the native files from the TorchSharp assembly's location and installs the resolver.</summary>
    public static LibTorchLocation? TryInstall(Assembly torchSharp, IEnumerable<string>? extraNativeDirectories = null)
    {
        lock (Gate)
        {
            if (installed is not null) return installed;
            var location = LibTorchLocation.Discover(torchSharp.Location, extraNativeDirectories);
            return location is null ? null : Install(torchSharp, location);
        }
    }

    static readonly string[] CpuLibraries = { "libc10.so", "libtorch_cpu.so" };
    static readonly string[] CudaLibraries = { "libc10_cuda.so", "libtorch_cuda.so" };
    static IntPtr libTorchSharpHandle;

    /// <summary>True for the native names TorchSharp asks for, which only this resolver should answer.</summary>
    public static bool IsTorchLibrary(string name) => Bare(name) is "TorchSharp" or "torch_cpu" or "torch" or "c10" or "torch_cuda" or "c10_cuda";

    static string Bare(string name)
    {
        string bare = Path.GetFileName(name);
        int so = bare.IndexOf(".so", StringComparison.Ordinal);
        if (so > 0) bare = bare[..so];
        else bare = Path.GetFileNameWithoutExtension(bare);
        if (bare.StartsWith("lib", StringComparison.Ordinal)) bare = bare[3..];
        return bare == "LibTorchSharp" ? "TorchSharp" : bare;
    }

    static IntPtr Resolve(string name, LibTorchLocation location)
    {
        string bare = Bare(name);
        switch (bare)
        {
            case "TorchSharp":
                return LoadWrapper(location);
            case "torch_cpu" or "torch" or "c10" or "torch_cuda" or "c10_cuda":
                string file = Path.Combine(location.LibTorchDirectory, $"lib{bare}.so");
                return File.Exists(file) ? NativeLibrary.Load(file) : IntPtr.Zero;
            default:
                return IntPtr.Zero;
        }
    }

    static IntPtr LoadWrapper(LibTorchLocation location)
    {
        lock (Gate)
        {
            if (libTorchSharpHandle != IntPtr.Zero) return libTorchSharpHandle;
            string? isa = OneDnnInstructionSet.CapUnlessSet();
            if (isa is not null) Log($"oneDNN capped at {OneDnnInstructionSet.Variable}={isa} before loading libtorch");
            // The wrapper's DT_NEEDED names libtorch by soname only; load those by full path first so the
            // dynamic loader finds them already mapped, wherever the wrapper copy lives.
            var dependencies = CpuLibraries.Concat(location.HasCuda ? CudaLibraries : Array.Empty<string>()).Append("libtorch.so");
            foreach (var dependency in dependencies)
            {
                string path = Path.Combine(location.LibTorchDirectory, dependency);
                if (File.Exists(path)) NativeLibrary.Load(path);
            }
            string wrapper = LibTorchSharpCompatibility.PathToLoad(location.LibTorchSharp, Log);
            libTorchSharpHandle = NativeLibrary.Load(wrapper);
            if (wrapper != location.LibTorchSharp) compatibilityCopy = wrapper;
            return libTorchSharpHandle;
        }
    }
}
