using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Book.Native;

namespace Book.Engine.Packages;

/// <summary>
/// Reads NuGet's project.assets.json: for each package of the target framework, its compile, runtime and
/// RID-specific (runtimeTargets) files. Package folders are looked up under NUGET_PACKAGES first, so a copied
/// cache works on a machine whose packages folder lives elsewhere.
/// </summary>
public static class ProjectAssets
{
    public static RestoredPackages Read(string assetsPath, string targetFramework)
    {
        var root = JsonNode.Parse(File.ReadAllText(assetsPath))!.AsObject();
        var target = root["targets"]?[targetFramework]?.AsObject()
            ?? throw new InvalidDataException($"{assetsPath} has no target {targetFramework}.");
        var libraries = root["libraries"]!.AsObject();
        var packageRoots = new List<string> { LibTorchLocation.NuGetPackagesRoot() };
        if (root["packageFolders"] is JsonObject folders) packageRoots.AddRange(folders.Select(f => f.Key));
        var rids = RidChain();
        bool libTorchElsewhere = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(BookEnvironment.LibTorch));

        var compile = new List<string>();
        var runtime = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var native = new Dictionary<string, (string Path, int Rank)>(StringComparer.Ordinal);
        foreach (var (key, node) in target)
        {
            if (node?["type"]?.GetValue<string>() != "package") continue;
            string relative = libraries[key]?["path"]?.GetValue<string>() ?? key.ToLowerInvariant();
            string? dir = packageRoots.Select(r => Path.Combine(r, relative)).FirstOrDefault(Directory.Exists);
            bool isLibTorch = key.StartsWith("libtorch-", StringComparison.OrdinalIgnoreCase);
            if (dir is null)
            {
                // With BOOK_LIBTORCH (e.g. a PyTorch install on a GPU server) the libtorch packages need not be present.
                if (isLibTorch && libTorchElsewhere) continue;
                throw new DirectoryNotFoundException($"package {key} is not in {string.Join(" or ", packageRoots.Distinct())}; restore the notebook's packages again.");
            }
            if (isLibTorch && libTorchElsewhere) continue;

            foreach (var file in Files(node["compile"])) compile.Add(Path.Combine(dir, file));
            foreach (var file in Files(node["runtime"])) runtime[Path.GetFileNameWithoutExtension(file)] = Path.Combine(dir, file);
            if (node["runtimeTargets"] is JsonObject targets)
            {
                // More specific RIDs win: a runtimes/linux-x64 file replaces a runtimes/unix one.
                foreach (var (file, info) in targets.OrderByDescending(t => Rank(rids, t.Value?["rid"]?.GetValue<string>())))
                {
                    int rank = Rank(rids, info?["rid"]?.GetValue<string>());
                    if (rank < 0 || IsPlaceholder(file)) continue;
                    string full = Path.Combine(dir, file);
                    string assetType = info?["assetType"]?.GetValue<string>() ?? "";
                    if (assetType == "runtime") runtime[Path.GetFileNameWithoutExtension(file)] = full;
                    else if (assetType == "native" && (!native.TryGetValue(Path.GetFileName(file), out var existing) || existing.Rank < rank))
                        native[Path.GetFileName(file)] = (full, rank);
                }
            }
        }
        return new RestoredPackages(compile, runtime, native.ToDictionary(n => n.Key, n => n.Value.Path));
    }

    static IEnumerable<string> Files(JsonNode? node) =>
        node is JsonObject files ? files.Select(f => f.Key).Where(f => !IsPlaceholder(f) && f.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)) : Enumerable.Empty<string>();

    // NuGet marks "this framework needs nothing from the package" with an empty _._ file.
    static bool IsPlaceholder(string file) => Path.GetFileName(file) == "_._";

    /// <summary>This machine's runtime identifiers from most to least specific, e.g. linux-x64, linux, unix, any.</summary>
    internal static IReadOnlyList<string> RidChain()
    {
        string arch = RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();
        if (OperatingSystem.IsLinux()) return new[] { $"linux-{arch}", "linux", $"unix-{arch}", "unix", "any" };
        if (OperatingSystem.IsMacOS()) return new[] { $"osx-{arch}", "osx", $"unix-{arch}", "unix", "any" };
        return new[] { $"win-{arch}", "win", "any" };
    }

    static int Rank(IReadOnlyList<string> chain, string? rid)
    {
        if (rid is null) return -1;
        int i = chain.ToList().IndexOf(rid);
        return i < 0 ? -1 : chain.Count - i;
    }
}
