using Book.Native;

namespace Book.Native.Tests;

/// <summary>The real libLibTorchSharp.so of TorchSharp 0.107.0, in the NuGet cache (read, never written).</summary>
static class PackagedLibrary
{
    public static string LibTorchSharp => Path.Combine(LibTorchLocation.NuGetPackagesRoot(), "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    /// <summary>libstdc++ 3.4.30 (GCC 12, Debian 12) defines GLIBCXX_3.4 … GLIBCXX_3.4.30.</summary>
    public static IEnumerable<string> Gcc12Versions() =>
        new[] { "GLIBCXX_3.4" }.Concat(Enumerable.Range(1, 30).Select(i => $"GLIBCXX_3.4.{i}")).Concat(new[] { "CXXABI_1.3" })
            .Concat(Enumerable.Range(1, 13).Select(i => $"CXXABI_1.3.{i}"));
}
