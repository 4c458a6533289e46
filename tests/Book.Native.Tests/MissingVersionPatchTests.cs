using System.Security.Cryptography;
using Xunit;

namespace Book.Native.Tests;

/// <summary>The ELF reading and the weak-version patch, on the real TorchSharp 0.107 wrapper.</summary>
[Collection(BookCacheVariable.Name)]
public class MissingVersionPatchTests
{
    readonly ElfImage library = ElfImage.Load(PackagedLibrary.LibTorchSharp);

    [Fact]
    public void The_wrapper_needs_GLIBCXX_3_4_32_from_libstdcxx()
    {
        var needs = library.VersionNeeds().Where(n => n.File == "libstdc++.so.6").Select(n => n.Version).ToList();
        Assert.Contains("GLIBCXX_3.4.32", needs);
        Assert.Contains("CXXABI_1.3", needs);
        Assert.All(library.VersionNeeds(), n => Assert.Equal(0, n.Flags & ElfImage.VerFlagWeak));
    }

    [Fact]
    public void Against_GCC_12s_libstdcxx_the_only_missing_version_is_3_4_32_and_its_only_symbol_is_unrelocated()
    {
        var plan = MissingVersionPatch.Plan(library, "libstdc++.so.6", PackagedLibrary.Gcc12Versions());
        Assert.True(plan.IsNeeded);
        Assert.Equal("GLIBCXX_3.4.32", Assert.Single(plan.Missing).Version);
        Assert.Equal("_ZSt21ios_base_library_initv", Assert.Single(plan.SymbolsOfMissingVersions));
        Assert.Empty(plan.RelocatedSymbolsOfMissingVersions);
        Assert.True(plan.IsSafe);
    }

    [Fact]
    public void The_patch_marks_only_that_entry_weak_and_changes_two_bytes()
    {
        var plan = MissingVersionPatch.Plan(library, "libstdc++.so.6", PackagedLibrary.Gcc12Versions());
        byte[] patched = plan.Apply(library);
        var reread = new ElfImage(patched, "patched copy");
        foreach (var need in reread.VersionNeeds())
            Assert.Equal(need.Version == "GLIBCXX_3.4.32", (need.Flags & ElfImage.VerFlagWeak) != 0);
        int differing = library.Bytes.Zip(patched).Count(p => p.First != p.Second);
        Assert.InRange(differing, 1, 2);
        // Patched against itself, nothing is missing any more that is not already weak-tolerated.
        Assert.Equal(library.Bytes.Length, patched.Length);
    }

    [Fact]
    public void A_version_whose_symbols_relocations_use_is_refused()
    {
        // Pretend the system lacks GLIBCXX_3.4.21, whose std::string symbols the wrapper really calls.
        var versions = PackagedLibrary.Gcc12Versions().Where(v => v != "GLIBCXX_3.4.21");
        var plan = MissingVersionPatch.Plan(library, "libstdc++.so.6", versions);
        Assert.False(plan.IsSafe);
        Assert.NotEmpty(plan.RelocatedSymbolsOfMissingVersions);
        var e = Assert.Throws<InvalidOperationException>(() => plan.Apply(library));
        Assert.Contains("GLIBCXX_3.4.21", e.Message);
    }

    [Fact]
    public void Nothing_is_needed_when_the_system_provides_every_version()
    {
        var plan = MissingVersionPatch.Plan(library, "libstdc++.so.6", PackagedLibrary.Gcc12Versions().Append("GLIBCXX_3.4.31").Append("GLIBCXX_3.4.32"));
        Assert.False(plan.IsNeeded);
    }

    [Fact]
    public void Non_ELF_input_is_refused_clearly()
    {
        var e = Assert.Throws<InvalidDataException>(() => new ElfImage(new byte[100], "zeros.so"));
        Assert.Contains("zeros.so is not an ELF file", e.Message);
    }

    [Fact]
    public void The_system_libstdcxx_is_found_and_its_versions_read()
    {
        string? path = SystemLibrary.Locate("libstdc++.so.6");
        Assert.NotNull(path);
        var versions = ElfImage.Load(path!).VersionDefinitions();
        Assert.Contains("GLIBCXX_3.4", versions);
        Assert.Contains("CXXABI_1.3", versions);
    }

    [Fact]
    public void The_compatibility_copy_lives_in_the_cache_and_the_package_file_is_untouched()
    {
        string cache = Directory.CreateTempSubdirectory("book-native-cache-").FullName;
        Environment.SetEnvironmentVariable("BOOK_CACHE", cache);
        try
        {
            byte[] before = SHA256.HashData(File.ReadAllBytes(PackagedLibrary.LibTorchSharp));
            var log = new List<string>();
            string chosen = LibTorchSharpCompatibility.PathToLoad(PackagedLibrary.LibTorchSharp, log.Add);
            Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(PackagedLibrary.LibTorchSharp)));
            string? system = SystemLibrary.Locate("libstdc++.so.6");
            bool systemHas3432 = ElfImage.Load(system!).VersionDefinitions().Contains("GLIBCXX_3.4.32");
            if (systemHas3432)
            {
                // Newer systems load the package's own file.
                Assert.Equal(PackagedLibrary.LibTorchSharp, chosen);
                Assert.Empty(log);
            }
            else
            {
                Assert.StartsWith(cache, chosen);
                Assert.Contains("GLIBCXX_3.4.32", Assert.Single(log));
                Assert.Contains("marked weak", log[0]);
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable("BOOK_CACHE", null);
        }
    }
}
