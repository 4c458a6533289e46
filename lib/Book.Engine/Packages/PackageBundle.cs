using System.Text.Json.Nodes;
using Book.Engine.Directives;
using Book.Engine.Execution;
using Book.Engine.Notebooks;
using Book.Native;

namespace Book.Engine.Packages;

/// <summary>
/// Everything notebooks need from NuGet, in one folder, for a machine that reaches no registry and may have no SDK
/// (an offline GPU server): the restored resolutions (the book cache's packages/ folders) and the package folders
/// they name. There, BOOK_CACHE=&lt;bundle&gt;/cache and NUGET_PACKAGES=&lt;bundle&gt;/nuget make the engine resolve
/// <c>#r "nuget:"</c> without restoring. libtorch can be left out (BOOK_LIBTORCH then points at a PyTorch install).
/// </summary>
public static class PackageBundle
{
    public sealed record Summary(int Resolutions, int Packages, long Bytes);

    /// <summary>
    /// The package sets a session restores for this notebook: after each cell that adds packages, all packages so far
    /// (the engine restores the accumulated set, so each set has its own resolution).
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<PackageReference>> RestoredSetsOf(NotebookDocument notebook)
    {
        var sets = new List<IReadOnlyList<PackageReference>>();
        var accumulated = new List<PackageReference>();
        foreach (int i in notebook.CodeCells())
        {
            var cell = CellDirectives.Parse(notebook.CellSource(i), new CellLocation(notebook.Path, i + 1));
            int before = accumulated.Count;
            foreach (var p in cell.Packages)
                if (!accumulated.Any(e => e.Id.Equals(p.Id, StringComparison.OrdinalIgnoreCase))) accumulated.Add(p);
            if (accumulated.Count > before) sets.Add(accumulated.ToList());
        }
        return sets;
    }

    public static Summary Create(IEnumerable<string> notebookPaths, string outputFolder, bool withoutLibTorch, TimeSpan restoreTimeout)
    {
        var cacheOut = Path.Combine(outputFolder, "cache", "packages");
        var nugetOut = Path.Combine(outputFolder, "nuget");
        var copiedPackages = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        int resolutions = 0;
        long bytes = 0;
        foreach (var path in notebookPaths)
        {
            foreach (var prefix in RestoredSetsOf(NotebookDocument.Load(path)))
            {
                PackageRestorer.Restore(prefix, restoreTimeout);
                string folder = PackageRestorer.CacheFolder(prefix);
                string target = Path.Combine(cacheOut, Path.GetFileName(folder), "obj");
                Directory.CreateDirectory(target);
                File.Copy(Path.Combine(folder, "obj", "project.assets.json"), Path.Combine(target, "project.assets.json"), overwrite: true);
                resolutions++;
                foreach (var (library, files) in FilesOf(Path.Combine(folder, "obj", "project.assets.json")))
                {
                    if (withoutLibTorch && library.StartsWith("libtorch-", StringComparison.OrdinalIgnoreCase)) continue;
                    if (!copiedPackages.Add(library)) continue;
                    string source = Path.Combine(LibTorchLocation.NuGetPackagesRoot(), library);
                    bytes += CopyFiles(source, Path.Combine(nugetOut, library), files);
                }
            }
        }
        return new Summary(resolutions, copiedPackages.Count, bytes);
    }

    /// <summary>
    /// Each package folder (id/version, lower case) a resolution uses, with the files the engine may load from it:
    /// compile and runtime assemblies and this platform's runtimes/ assets, plus NuGet's own metadata.
    /// </summary>
    static IEnumerable<(string Library, IReadOnlyList<string> Files)> FilesOf(string assetsPath)
    {
        var root = JsonNode.Parse(File.ReadAllText(assetsPath))!;
        var target = root["targets"]![PackageRestorer.TargetFramework]!.AsObject();
        foreach (var (key, value) in root["libraries"]!.AsObject())
        {
            if (value?["type"]?.GetValue<string>() != "package") continue;
            string library = value["path"]?.GetValue<string>() ?? key.ToLowerInvariant();
            var files = new List<string>();
            if (value["files"] is JsonArray all)
                files.AddRange(all.Select(f => f!.GetValue<string>()).Where(f => f.EndsWith(".nuspec", StringComparison.Ordinal) || f.EndsWith(".sha512", StringComparison.Ordinal)));
            files.Add(".nupkg.metadata");
            if (target[key] is JsonObject assets)
                foreach (var group in new[] { "compile", "runtime", "runtimeTargets", "resource" })
                    if (assets[group] is JsonObject entries)
                        files.AddRange(entries.Select(e => e.Key).Where(f => Path.GetFileName(f) != "_._" && !IsOtherPlatformAsset(f)));
            yield return (library, files);
        }
    }

    /// <summary>An asset under runtimes/&lt;rid&gt;/ for a platform this machine's RID chain does not include.</summary>
    static bool IsOtherPlatformAsset(string relative)
    {
        var parts = relative.Split('/', '\\');
        return parts.Length >= 2 && parts[0] == "runtimes" && !ProjectAssets.RidChain().Contains(parts[1]);
    }

    static long CopyFiles(string source, string target, IEnumerable<string> files)
    {
        long total = 0;
        foreach (var relative in files.Distinct())
        {
            string file = Path.Combine(source, relative);
            if (!File.Exists(file)) continue;
            string destination = Path.Combine(target, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination, overwrite: true);
            total += new FileInfo(file).Length;
        }
        return total;
    }
}
