using System.Reflection;
using System.Runtime.InteropServices;
using TorchSharp;

namespace TransformersBook.Runtime;

/// <summary>The versions a chapter ran with, printed by the setup cell (a result is only reproducible with its versions).</summary>
public sealed record BookVersions(string TorchSharp, string LibTorch, string Ilgpu, string Tokenizers, string DotNet)
{
    /// <summary>Reads the versions of the loaded assemblies; libtorch's is TorchSharp's build constant (no native call).</summary>
    public static BookVersions Current() => new(
        Of(typeof(torch).Assembly),
        ShortVersion(Book.Native.LibTorchRule.ExpectedVersion(typeof(torch).Assembly)),
        OfOptional(() => typeof(ILGPU.Context).Assembly),
        OfOptional(() => typeof(Microsoft.ML.Tokenizers.Tokenizer).Assembly),
        RuntimeInformation.FrameworkDescription.Replace(".NET ", "", StringComparison.Ordinal));

    /// <summary>An assembly's informational version without the source-control suffix ("0.107.0+abc" becomes "0.107.0").</summary>
    public static string Of(Assembly assembly)
    {
        string? informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        return informational is { Length: > 0 } ? informational.Split('+')[0] : assembly.GetName().Version?.ToString() ?? "unknown";
    }

    /// <summary>
    /// The version of a package the library builds on but a notebook may leave out (every chapter references ILGPU and
    /// Microsoft.ML.Tokenizers; a reader's own notebook need not): "not referenced" when its assembly does not load.
    /// </summary>
    /// <param name="assembly">Names a type of the package; it fails to run when the package is missing.</param>
    public static string OfOptional(Func<Assembly> assembly)
    {
        try
        {
            return Of(assembly());
        }
        catch (FileNotFoundException)
        {
            return NotReferenced;
        }
    }

    /// <summary>What <see cref="OfOptional"/> reports for a package the notebook does not reference.</summary>
    public const string NotReferenced = "not referenced";

    /// <summary>"2.10.0.0" becomes "2.10.0" (NuGet's four-part versions end in a zero revision).</summary>
    static string ShortVersion(string version) =>
        version.Count(c => c == '.') == 3 && version.EndsWith(".0", StringComparison.Ordinal) ? version[..^2] : version;

    public override string ToString() =>
        $"TorchSharp {TorchSharp} · libtorch {LibTorch} · ILGPU {Ilgpu} · Tokenizers {Tokenizers} · .NET {DotNet}";
}
