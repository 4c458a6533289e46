using TransformersBook.Data;

namespace TransformersBook.Tests;

/// <summary>
/// Data tests change BOOK_CACHE, BOOK_NPM and npm's settings for the process, so they run alone. The real load uses
/// the default cache (installed once per machine with npm); the failure cases use temporary caches.
/// </summary>
[Collection(ProcessState.Name)]
public class DataTests : IDisposable
{
    readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    static bool NpmAvailable()
    {
        try
        {
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(NpmInstaller.Executable, "--version")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            process!.WaitForExit(30_000);
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    static bool OnCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    [Fact]
    public void Moby_dick_and_cmudict_load_for_real()
    {
        if (!NpmAvailable() && !OnCi)
        {
            // Without npm the reader must get the clear error; on CI a missing npm fails this test below.
            var e = Assert.Throws<DataUnavailableException>(() => MobyDick.Text());
            Assert.Equal(DataProblem.NpmMissing, e.Problem);
            return;
        }
        string text = MobyDick.Text();
        Assert.InRange(text.Length, 1_150_000, 1_300_000);
        Assert.StartsWith("ETYMOLOGY.", text);
        Assert.Contains("CHAPTER 1. Loomings.\n\nCall me Ishmael.", text);
        Assert.Contains("CHAPTER 135. The Chase.—Third Day.", text);
        Assert.EndsWith("only found another orphan.", text);
        Assert.Equal(138, MobyDick.Sections().Count);

        var entries = CmuDict.Entries();
        Assert.True(entries.Count > 130_000);
        Assert.Contains(entries, e => e.Word == "ABBE" && e.Variant == 1 && string.Join(' ', e.Phonemes) == "AE0 B EY1");
        Assert.Equal(new[] { "K", "AE1", "T" }, CmuDict.Pronunciations()["CAT"]);
        Assert.Equal("vowel", CmuDict.Phones()["AA"]);
    }

    [Fact]
    public void A_changed_file_fails_its_checksum_naming_the_file_and_the_fix()
    {
        // An installed cache as Ensure leaves it (stamp, package files), with one data file that differs from checksums.json.
        string source = BookData.SourceFolder();
        string data = Path.Combine(temp.Path, "cache", "data");
        string package = Path.Combine(data, "node_modules", "@stdlib", "datasets-moby-dick");
        Directory.CreateDirectory(Path.Combine(package, "data"));
        foreach (var file in new[] { "package.json", "package-lock.json" }) File.Copy(Path.Combine(source, file), Path.Combine(data, file));
        File.WriteAllText(Path.Combine(data, ".book-data-installed"), BookData.Fingerprint(source));
        File.WriteAllText(Path.Combine(package, "data", "chapter_1.txt"), "CHAPTER 1. Loomings.\n\nCall me Ahab.");
        Directory.CreateDirectory(Path.Combine(package, "lib"));
        File.WriteAllText(Path.Combine(package, "lib", "index.js"), "module.exports = 1;");

        using var env = new EnvironmentScope().Set("BOOK_CACHE", Path.Combine(temp.Path, "cache"));
        var e = Assert.Throws<DataUnavailableException>(() => BookData.ReadText(MobyDick.Package, "data/chapter_1.txt"));
        Assert.Equal(DataProblem.ChecksumMismatch, e.Problem);
        Assert.Equal(MobyDick.Package, e.Dataset);
        Assert.Contains("data/chapter_1.txt", e.Message);
        Assert.Contains("Delete the folder", e.Message);
        Assert.Contains("npm ci --ignore-scripts", e.Message);
        Assert.Throws<DataUnavailableException>(() => BookData.PackageFile(MobyDick.Package, "data/chapter_1.txt"));

        var missing = Assert.Throws<DataUnavailableException>(() => BookData.PackageFile(MobyDick.Package, "data/chapter_2.txt"));
        Assert.Equal(DataProblem.FileMissing, missing.Problem);
        var unlisted = Assert.Throws<DataUnavailableException>(() => BookData.PackageFile(MobyDick.Package, "lib/index.js"));
        Assert.Equal(DataProblem.NotVerifiable, unlisted.Problem);
        var unknown = Assert.Throws<DataUnavailableException>(() => BookData.PackageFile("left-pad", "index.js"));
        Assert.Equal(DataProblem.NotVerifiable, unknown.Problem);
    }

    [Fact]
    public void A_stale_install_is_reinstalled_not_trusted()
    {
        // A stamp from another lock file means the cache holds other packages: Ensure runs npm again (here: a missing one).
        string data = Path.Combine(temp.Path, "stale", "data");
        Directory.CreateDirectory(Path.Combine(data, "node_modules"));
        File.WriteAllText(Path.Combine(data, ".book-data-installed"), "0000");
        using var env = new EnvironmentScope()
            .Set("BOOK_CACHE", Path.Combine(temp.Path, "stale"))
            .Set(NpmInstaller.NpmVariable, Path.Combine(temp.Path, "no-such-npm"));
        var e = Assert.Throws<DataUnavailableException>(() => BookData.Ensure());
        Assert.Equal(DataProblem.NpmMissing, e.Problem);
        Assert.False(File.Exists(Path.Combine(data, ".book-data-installed")));
    }

    [Fact]
    public void Missing_npm_gives_the_command_to_run()
    {
        using var env = new EnvironmentScope()
            .Set("BOOK_CACHE", Path.Combine(temp.Path, "empty-cache"))
            .Set(NpmInstaller.NpmVariable, Path.Combine(temp.Path, "no-such-npm"));
        var e = Assert.Throws<DataUnavailableException>(() => BookData.PackageFile(CmuDict.Package, "data/dict.txt"));
        Assert.Equal(DataProblem.NpmMissing, e.Problem);
        Assert.Equal(CmuDict.Package, e.Dataset);
        Assert.Contains("Install Node.js", e.Message);
        Assert.Contains("no-such-npm ci --ignore-scripts --no-audit --no-fund", e.Message);
        Assert.False(File.Exists(Path.Combine(temp.Path, "empty-cache", "data", ".book-data-installed")));
    }

    [Fact]
    public void Offline_npm_is_reported_as_offline()
    {
        if (!NpmAvailable())
        {
            Assert.False(OnCi, "CI must have npm: the book installs its data with it.");
            return;
        }
        using var env = new EnvironmentScope()
            .Set("BOOK_CACHE", Path.Combine(temp.Path, "offline-cache"))
            .Set("npm_config_registry", "http://127.0.0.1:9/")
            .Set("npm_config_cache", Path.Combine(temp.Path, "npm-cache"))
            .Set("npm_config_fetch_retries", "0")
            .Set("npm_config_fetch_timeout", "5000");
        var e = Assert.Throws<DataUnavailableException>(() => BookData.Ensure(MobyDick.Package));
        Assert.Equal(DataProblem.Offline, e.Problem);
        Assert.Contains("not reachable", e.Message);
    }

    [Fact]
    public void A_wrong_book_root_is_a_clear_error()
    {
        using var env = new EnvironmentScope().Set(BookData.RootVariable, temp.Path);
        var e = Assert.Throws<DataUnavailableException>(() => BookData.SourceFolder());
        Assert.Equal(DataProblem.SourceNotFound, e.Problem);
        Assert.Contains("BOOK_ROOT", e.Message);
    }

    [Fact]
    public void The_committed_checksums_cover_every_package_of_the_lock_file()
    {
        string source = BookData.SourceFolder();
        var checksums = DataChecksums.Load(Path.Combine(source, "checksums.json"));
        Assert.Equal(BookData.PackageNames().OrderBy(n => n), checksums.Packages.Keys.OrderBy(n => n));
        Assert.Contains("data/file_list.json", checksums.Packages[MobyDick.Package].Files!.Keys);
        Assert.DoesNotContain("\"resolved\"", File.ReadAllText(Path.Combine(source, "package-lock.json")));
    }
}
