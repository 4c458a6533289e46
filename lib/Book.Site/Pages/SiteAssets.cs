using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Book.Engine.Notebooks;

namespace Book.Site;

/// <summary>
/// The front-end files every page loads, all copied into the site so that no page asks another host for anything.
/// Third-party files come from site/node_modules (installed by `npm ci --prefix site` from the committed lock file);
/// the book's own stylesheet and scripts come from site/theme/.
/// </summary>
internal sealed class SiteAssets(string siteFolder)
{
    public const string KatexCss = "assets/katex/katex.min.css";
    public const string KatexJs = "assets/katex/katex.min.js";
    public const string HighlightJs = "assets/highlight/highlight.js";
    public const string PlotlyJs = "assets/plotly/plotly.min.js";
    public const string ThemeCss = "assets/theme/book.css";
    public const string ThemeJs = "assets/theme/book.js";
    public const string PlotlyRequireJs = "assets/theme/plotly-require.js";
    public const string Favicon = "assets/theme/favicon.svg";
    public const string SearchIndexJs = "assets/search-index.js";

    /// <summary>
    /// Inline script for 404.html, which a server returns for a missing URL at any depth. Pages live under
    /// chapters/, so the root is what precedes "/chapters/" in the URL; otherwise it is the URL's own folder.
    /// </summary>
    public const string NotFoundBaseScript =
        """(function(){var p=location.pathname,i=p.indexOf("/chapters/"),r=i>=0?p.slice(0,i+1):p.slice(0,p.lastIndexOf("/")+1);var b=document.createElement("base");b.href=r;document.head.appendChild(b)})();""";

    // highlight.js on npm ships CommonJS modules, not a browser build; these are wrapped into one classic script
    // (modules would not load from file://). C# is what the book is written in; the rest appear in prose.
    private static readonly string[] HighlightLanguages =
        ["csharp", "fsharp", "bash", "shell", "powershell", "json", "xml", "yaml", "python", "markdown", "plaintext"];

    private static readonly string[] NpmPackages = ["katex", "highlight.js", "plotly.js-dist-min"];

    private string NodeModules => Path.Combine(siteFolder, "node_modules");

    /// <summary>Fails with the command to run when the npm packages are missing or not the versions package.json pins.</summary>
    public void EnsureInstalled()
    {
        var problems = new List<string>();
        var manifestPath = Path.Combine(siteFolder, "package.json");
        if (!File.Exists(manifestPath))
        {
            throw new SiteRenderException($"{manifestPath} is missing; the front-end assets are declared there.");
        }

        var pinned = JsonNode.Parse(File.ReadAllText(manifestPath))?["dependencies"] as JsonObject;
        foreach (var package in NpmPackages)
        {
            var installedManifest = Path.Combine(NodeModules, package, "package.json");
            var wanted = JsonText.StringOf(pinned?[package]);
            if (!File.Exists(installedManifest))
            {
                problems.Add($"{package} is not installed in {NodeModules}");
                continue;
            }

            var installed = JsonText.StringOf(JsonNode.Parse(File.ReadAllText(installedManifest))?["version"]);
            if (wanted is not null && installed != wanted)
            {
                problems.Add($"{package} {installed} is installed but package.json pins {wanted}");
            }
        }

        foreach (var file in RequiredFiles().Where(file => !File.Exists(file)))
        {
            problems.Add($"{file} is missing");
        }

        if (problems.Count > 0)
        {
            throw new SiteRenderException(
                $"The site's front-end assets are not ready ({string.Join("; ", problems)}). Run `npm ci --prefix site` from the repository root, then render again.");
        }
    }

    public void CopyTo(string outputFolder)
    {
        var katex = Path.Combine(NodeModules, "katex");
        CopyFile(Path.Combine(katex, "dist", "katex.min.css"), outputFolder, KatexCss);
        CopyFile(Path.Combine(katex, "dist", "katex.min.js"), outputFolder, KatexJs);
        CopyFile(Path.Combine(katex, "LICENSE"), outputFolder, "assets/katex/LICENSE");
        foreach (var font in Directory.EnumerateFiles(Path.Combine(katex, "dist", "fonts")))
        {
            CopyFile(font, outputFolder, $"assets/katex/fonts/{Path.GetFileName(font)}");
        }

        var highlight = Path.Combine(NodeModules, "highlight.js");
        Write(outputFolder, HighlightJs, BundleHighlight(highlight));
        CopyFile(Path.Combine(highlight, "LICENSE"), outputFolder, "assets/highlight/LICENSE");

        var plotly = Path.Combine(NodeModules, "plotly.js-dist-min");
        CopyFile(Path.Combine(plotly, "plotly.min.js"), outputFolder, PlotlyJs);
        CopyFile(Path.Combine(plotly, "LICENSE"), outputFolder, "assets/plotly/LICENSE");

        foreach (var file in Directory.EnumerateFiles(Path.Combine(siteFolder, "theme")))
        {
            CopyFile(file, outputFolder, $"assets/theme/{Path.GetFileName(file)}");
        }
    }

    /// <summary>Beside each downloadable notebook, the same text as a script (see <see cref="DownloadScript"/>).</summary>
    public const string DownloadScriptSuffix = ".js";

    /// <summary>
    /// A page opened from file:// may load scripts but not fetch files, and Chromium ignores a link's download attribute
    /// there, so the notebook opened as raw JSON. This script hands the notebook's exact text to the page
    /// (book.js loads it on click), which saves it through a blob: URL, where the download attribute works.
    /// </summary>
    public static string DownloadScript(string fileName, string notebookText) =>
        $"window.bookReceiveNotebook({JsonSerializer.Serialize(fileName)}, {JsonSerializer.Serialize(notebookText)});\n";

    public static void Write(string outputFolder, string sitePath, string content)
    {
        var target = Path.Combine(outputFolder, sitePath);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.WriteAllText(target, content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }

    public static void CopyFile(string source, string outputFolder, string sitePath)
    {
        var target = Path.Combine(outputFolder, sitePath);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(source, target, overwrite: true);
    }

    private IEnumerable<string> RequiredFiles()
    {
        var katex = Path.Combine(NodeModules, "katex");
        yield return Path.Combine(katex, "dist", "katex.min.css");
        yield return Path.Combine(katex, "dist", "katex.min.js");
        var highlight = Path.Combine(NodeModules, "highlight.js", "lib");
        yield return Path.Combine(highlight, "core.js");
        foreach (var language in HighlightLanguages)
        {
            yield return Path.Combine(highlight, "languages", language + ".js");
        }

        yield return Path.Combine(NodeModules, "plotly.js-dist-min", "plotly.min.js");
        yield return Path.Combine(siteFolder, "theme", "book.css");
        yield return Path.Combine(siteFolder, "theme", "book.js");
        yield return Path.Combine(siteFolder, "theme", "plotly-require.js");
        yield return Path.Combine(siteFolder, "theme", "favicon.svg");
    }

    /// <summary>Each CommonJS module runs in its own function with a local `module`; core becomes window.hljs.</summary>
    private static string BundleHighlight(string package)
    {
        var version = JsonText.StringOf(JsonNode.Parse(File.ReadAllText(Path.Combine(package, "package.json")))?["version"]);
        var bundle = new StringBuilder($"/* highlight.js {version} (BSD-3-Clause, see LICENSE): core and {string.Join(", ", HighlightLanguages)}; wrapped by `book render`. */\n");
        bundle.Append("(function () {\nvar module = { exports: {} }, exports = module.exports;\n")
            .Append(File.ReadAllText(Path.Combine(package, "lib", "core.js")))
            .Append("\nwindow.hljs = module.exports;\n})();\n");
        foreach (var language in HighlightLanguages)
        {
            bundle.Append("(function () {\nvar module = { exports: {} }, exports = module.exports;\n")
                .Append(File.ReadAllText(Path.Combine(package, "lib", "languages", language + ".js")))
                .Append($"\nwindow.hljs.registerLanguage(\"{language}\", module.exports);\n}})();\n");
        }

        return bundle.ToString();
    }
}
