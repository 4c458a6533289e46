using System.Security.Cryptography;

namespace Book.Native;

/// <summary>
/// TorchSharp 0.107's libLibTorchSharp.so was linked by GCC 13 and so requires GLIBCXX_3.4.32, which Debian 12 and
/// Ubuntu 22.04 lack (their libstdc++ stops at 3.4.30). The only symbol of that version is a link anchor no
/// relocation uses, so a copy with the requirement marked weak loads and runs. This class decides whether the copy
/// is needed, checks it is safe, and writes it to the book's cache; the package's own file is never modified.
/// </summary>
public static class LibTorchSharpCompatibility
{
    const string LibStdCxx = "libstdc++.so.6";

    /// <summary>The path to load: the original when the system satisfies it, else a verified, patched copy.</summary>
    public static string PathToLoad(string libTorchSharpPath, Action<string> log)
    {
        if (!OperatingSystem.IsLinux()) return libTorchSharpPath;
        string? system = SystemLibrary.Locate(LibStdCxx);
        if (system is null) return libTorchSharpPath;
        var library = ElfImage.Load(libTorchSharpPath);
        var plan = MissingVersionPatch.Plan(library, LibStdCxx, ElfImage.Load(system).VersionDefinitions());
        if (!plan.IsNeeded) return libTorchSharpPath;
        if (!plan.IsSafe)
            throw new DllNotFoundException(
                $"{libTorchSharpPath} needs {string.Join(", ", plan.Missing.Select(m => m.Version))} from {LibStdCxx} and " +
                $"uses its symbols {string.Join(", ", plan.RelocatedSymbolsOfMissingVersions)}; the system's ({system}) is too old. " +
                "Install a newer libstdc++ (GCC 13 or later).");

        string hash = Convert.ToHexString(SHA256.HashData(library.Bytes))[..16].ToLowerInvariant();
        string copy = Path.Combine(BookCache.Folder("native", hash), Path.GetFileName(libTorchSharpPath));
        if (!File.Exists(copy)) BookCache.WriteAtomically(copy, plan.Apply(library));
        log($"{plan.Describe()} (system: {system}); loading a copy with that requirement marked weak: {copy}");
        return copy;
    }
}
