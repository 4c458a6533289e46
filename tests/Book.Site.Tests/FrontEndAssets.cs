using System.Diagnostics;

namespace Book.Site.Tests;

/// <summary>
/// The repository's site/ folder (package.json, lock file, theme) and its npm packages. Tests that render a site
/// need site/node_modules; when it is missing they run `npm ci --prefix site` once, as a developer would.
/// </summary>
public static class FrontEndAssets
{
    private static readonly Lazy<string> Installed = new(Install, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The repository's site/ folder, with its npm packages installed.</summary>
    public static string SiteFolder => Installed.Value;

    /// <summary>The repository root: the nearest folder above the test binaries that holds site/package.json.</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "site", "package.json")))
                {
                    return folder.FullName;
                }
            }

            throw new InvalidOperationException($"No site/package.json above {AppContext.BaseDirectory}; the tests must run from inside the repository.");
        }
    }

    private static string Install()
    {
        var site = Path.Combine(RepositoryRoot, "site");
        string[] markers = ["katex", "highlight.js", "plotly.js-dist-min"];
        if (markers.All(package => File.Exists(Path.Combine(site, "node_modules", package, "package.json"))))
        {
            return site;
        }

        var npm = new ProcessStartInfo("npm", ["ci", "--prefix", site, "--no-audit", "--no-fund"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(npm) ?? throw new InvalidOperationException("Could not start npm; install Node.js and npm.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"`npm ci --prefix site` failed with exit code {process.ExitCode}:\n{output.Result}\n{errors.Result}");
        }

        return site;
    }
}
