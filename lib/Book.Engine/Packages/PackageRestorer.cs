using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Book.Engine.Directives;
using Book.Native;

namespace Book.Engine.Packages;

/// <summary>
/// Restores <c>#r "nuget:"</c> packages for real, the way Polyglot Notebooks did: a generated project restored by
/// the .NET SDK, whose project.assets.json says which files each package contributes. Each set of packages gets a
/// folder in the book's cache, so a later session (or a machine without the SDK, given that cache and the packages
/// folder) reuses the resolution without restoring again.
/// </summary>
public static class PackageRestorer
{
    /// <summary>The framework scripts run on: the host's, so packages built for it (and for older ones) apply.</summary>
    public static string TargetFramework => $"net{Environment.Version.Major}.0";

    public static RestoredPackages Restore(IReadOnlyList<PackageReference> packages, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (packages.Count == 0) return RestoredPackages.None;
        string folder = CacheFolder(packages);
        string assets = Path.Combine(folder, "obj", "project.assets.json");
        if (!File.Exists(assets))
        {
            File.WriteAllText(Path.Combine(folder, "restore.csproj"), ProjectXml(packages));
            RunRestore(folder, packages, timeout, cancellationToken);
        }
        return ProjectAssets.Read(assets, TargetFramework);
    }

    /// <summary>The cache folder of this set of packages (order does not matter).</summary>
    public static string CacheFolder(IReadOnlyList<PackageReference> packages) => BookCache.Folder("packages", Key(packages));

    static string Key(IReadOnlyList<PackageReference> packages)
    {
        var text = string.Join("\n", packages.Select(p => $"{p.Id.ToLowerInvariant()}/{p.Version}").Order(StringComparer.Ordinal));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{TargetFramework}\n{text}")))[..20].ToLowerInvariant();
    }

    static string ProjectXml(IReadOnlyList<PackageReference> packages)
    {
        var items = string.Join("\n", packages.Select(p =>
            $"    <PackageReference Include=\"{System.Security.SecurityElement.Escape(p.Id)}\" Version=\"[{System.Security.SecurityElement.Escape(p.Version)}]\" />"));
        // Exact versions ([x]): a notebook that names a version the registry lacks must fail, not float.
        return $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>{TargetFramework}</TargetFramework>
                <ImportDirectoryBuildProps>false</ImportDirectoryBuildProps>
                <ImportDirectoryPackagesProps>false</ImportDirectoryPackagesProps>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
                <DisableImplicitNuGetFallbackFolder>true</DisableImplicitNuGetFallbackFolder>
                <NoWarn>NU1603;NU1605;NU1608;NU1701</NoWarn>
              </PropertyGroup>
              <ItemGroup>
            {items}
              </ItemGroup>
            </Project>
            """;
    }

    static void RunRestore(string folder, IReadOnlyList<PackageReference> packages, TimeSpan timeout, CancellationToken cancellationToken)
    {
        string dotnet = DotNetHost.Path
            ?? throw new PackageRestoreException(packages, "restoring packages needs the .NET SDK ('dotnet' was not found), and no earlier restore of this set is in the book's cache " +
                $"({BookCache.Root}/packages). Restore once on a machine with the SDK and copy the cache and the NuGet packages folder.");
        var start = new ProcessStartInfo(dotnet, ["restore", "restore.csproj", "--nologo", "-v", "quiet"])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start) ?? throw new PackageRestoreException(packages, $"could not start {dotnet}.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new PackageRestoreException(packages, $"'dotnet restore' did not finish within {timeout.TotalSeconds:0} s.");
        }
        string output = stdout.Result + stderr.Result;
        if (process.ExitCode != 0)
        {
            // Keep NuGet's own words (NU1101 unknown package, NU1102 no such version, ...), without the project path noise.
            var errors = Regex.Matches(output, @"error (NU\d+|MSB\d+|NETSDK\d+):\s*(?<msg>[^\r\n\[]+)")
                .Select(m => m.Groups["msg"].Value.Trim()).Distinct().ToList();
            string reason = errors.Count > 0 ? string.Join(" ", errors) : output.Trim();
            if (output.Contains("No .NET SDKs were found", StringComparison.Ordinal))
                reason = "restoring packages needs the .NET SDK and this machine has only the runtime; restore once where the SDK is and copy the book's cache.";
            TryDelete(Path.Combine(folder, "obj"));
            throw new PackageRestoreException(packages, reason);
        }
    }

    static void TryDelete(string dir)
    {
        try { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }
}

public sealed class PackageRestoreException(IReadOnlyList<PackageReference> packages, string reason)
    : Exception($"could not restore {string.Join(", ", packages)}: {reason}");
