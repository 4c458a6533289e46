using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace TransformersBook.Onnx;

/// <summary>
/// Makes ONNX Runtime, OnnxSharp and Google.Protobuf load in a notebook. The library references them, but chapters do
/// not name them in their package cell and the library's output copies no packages, so a notebook host finds neither
/// the managed assemblies nor <c>libonnxruntime</c>. Installed by <c>BookSetup.Start</c>: it answers the load
/// context's request for those three assemblies from the NuGet cache folders recorded at build time (or the same
/// package and version under NUGET_PACKAGES or ~/.nuget/packages), and points ONNX Runtime's native import at the
/// package's <c>runtimes/&lt;rid&gt;/native</c> file. A host whose dependency file lists the packages (tests, apps)
/// loads them itself and never asks.
/// </summary>
public static class OnnxRuntimeLoading
{
    static readonly object Gate = new();
    static bool installed;

    /// <summary>The assembly names answered, with the metadata key of the package folder each lives in.</summary>
    static readonly Dictionary<string, string> PackageOf = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Microsoft.ML.OnnxRuntime"] = "OnnxRuntimePackage",
        ["OnnxSharp"] = "OnnxSharpPackage",
        ["Google.Protobuf"] = "GoogleProtobufPackage",
    };

    /// <summary>Installs the resolver once, on the load context that loaded this library and on the default one.</summary>
    public static void Install()
    {
        lock (Gate)
        {
            if (installed) return;
            installed = true;
            var own = AssemblyLoadContext.GetLoadContext(typeof(OnnxRuntimeLoading).Assembly) ?? AssemblyLoadContext.Default;
            own.Resolving += Resolve;
            if (own != AssemblyLoadContext.Default) AssemblyLoadContext.Default.Resolving += Resolve;
        }
    }

    static Assembly? Resolve(AssemblyLoadContext context, AssemblyName name)
    {
        if (name.Name is null || !PackageOf.TryGetValue(name.Name, out var key)) return null;
        var package = PackageFolder(key);
        if (package is null) return null;
        // The managed ONNX Runtime assembly ships in a sibling package of the same version.
        if (key == "OnnxRuntimePackage") package = Sibling(package, "microsoft.ml.onnxruntime.managed");
        var file = ManagedFile(package, name.Name);
        if (file is null) return null;
        var assembly = context.LoadFromAssemblyPath(file);
        if (key == "OnnxRuntimePackage") PointNativeImport(assembly);
        return assembly;
    }

    /// <summary>The package folder recorded at build time, or the same package and version in this machine's NuGet cache.</summary>
    static string? PackageFolder(string key)
    {
        var recorded = typeof(OnnxRuntimeLoading).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(attribute => attribute.Key == key)?.Value;
        if (string.IsNullOrEmpty(recorded)) return null;
        recorded = Path.TrimEndingDirectorySeparator(recorded);
        if (Directory.Exists(recorded)) return recorded;
        string version = Path.GetFileName(recorded), id = Path.GetFileName(Path.GetDirectoryName(recorded)!);
        return Path.Combine(NuGetRoot(), id, version) is var local && Directory.Exists(local) ? local : null;
    }

    static string NuGetRoot() => Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } root
        ? root
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    static string Sibling(string package, string id) =>
        Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(package)!)!, id, Path.GetFileName(package));

    /// <summary>The newest target framework folder under lib/ that this runtime can load (net8.0 before netstandard2.0).</summary>
    static string? ManagedFile(string package, string assemblyName)
    {
        foreach (var framework in new[] { "net8.0", "net6.0", "netstandard2.1", "netstandard2.0" })
        {
            var file = Path.Combine(package, "lib", framework, assemblyName + ".dll");
            if (File.Exists(file)) return file;
        }
        return null;
    }

    static void PointNativeImport(Assembly onnxRuntime)
    {
        var native = NativeFile();
        if (native is null) return;
        try
        {
            NativeLibrary.SetDllImportResolver(onnxRuntime, (name, _, _) =>
                name.Contains("onnxruntime", StringComparison.OrdinalIgnoreCase) && !name.Contains("providers", StringComparison.OrdinalIgnoreCase)
                    ? NativeLibrary.Load(native)
                    : IntPtr.Zero);
        }
        catch (InvalidOperationException)
        {
            // A resolver was already set for this assembly (by its host); that one stays.
        }
    }

    /// <summary>libonnxruntime for this platform from the native package, or null if it is missing.</summary>
    public static string? NativeFile()
    {
        var package = PackageFolder("OnnxRuntimePackage");
        if (package is null) return null;
        string file = OperatingSystem.IsWindows() ? "onnxruntime.dll" : OperatingSystem.IsMacOS() ? "libonnxruntime.dylib" : "libonnxruntime.so";
        var path = Path.Combine(package, "runtimes", RuntimeInformation.RuntimeIdentifier, "native", file);
        if (File.Exists(path)) return path;
        string os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        string arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        path = Path.Combine(package, "runtimes", $"{os}-{arch}", "native", file);
        return File.Exists(path) ? path : null;
    }
}
