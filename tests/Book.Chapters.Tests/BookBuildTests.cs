using Book.Site;
using Xunit;

namespace Book.Chapters.Tests;

/// <summary>The table of contents matches the chapters, and the executed chapters render to a site.</summary>
[Collection(BookEngineStream.Name)]
public class BookBuildTests
{
    [Fact]
    public void Book_yml_and_every_notebook_pass_the_hygiene_checks()
    {
        var problems = BookCheck.Run(Repository.BookYml);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void The_executed_chapters_render_to_a_site_with_a_page_per_chapter()
    {
        // Chapters already executed by ChapterExecutionTests are reused from the build folder's cache.
        var (runCode, runOutput) = Repository.Book(TimeSpan.FromMinutes(30), "run", "--all", "--profile", "smoke", "--notebook-timeout", "10");
        Assert.True(runCode == 0, runOutput);
        string site = Path.Combine(Repository.Root, "build", "site");
        var (code, output) = Repository.Book(TimeSpan.FromMinutes(5), "render", "--out", site);
        Assert.True(code == 0, output);
        foreach (var chapter in BookToc.Load(Repository.BookYml).Parts.SelectMany(p => p.Chapters))
        {
            string page = Path.Combine(site, Path.ChangeExtension(chapter.File, ".html"));
            Assert.True(File.Exists(page), $"no page for {chapter.File} at {page}");
            string html = File.ReadAllText(page);
            Assert.Contains(chapter.Title, html);
            Assert.DoesNotContain("output output-error", html);
        }
        Assert.True(File.Exists(Path.Combine(site, "index.html")));
        Assert.True(File.Exists(Path.Combine(site, "404.html")));
    }

    [Fact]
    public void The_readme_layout_names_every_folder_and_only_folders_that_exist()
    {
        string readme = File.ReadAllText(Path.Combine(Repository.Root, "README.md"));
        int start = readme.IndexOf("\n## Layout", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no '## Layout' section");
        int end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        string layout = readme[start..(end < 0 ? readme.Length : end)];
        // A path is what a backticked name holds before any placeholder: `chapters/<nn>-<part>/…` names chapters/.
        var named = System.Text.RegularExpressions.Regex.Matches(layout, "`(?<path>[^`]+)`")
            .Select(m => m.Groups["path"].Value.Split('<')[0].TrimEnd('/'))
            .Where(p => p.Length > 0 && !p.Contains(' ') && (p.Contains('/') || Directory.Exists(Path.Combine(Repository.Root, p)) || p.StartsWith('.')))
            .ToHashSet(StringComparer.Ordinal);

        // Folders the table must name: the top level, the projects under lib/, and the library's concept folders.
        string[] ignored = { "build", "artifacts", "node_modules", "bin", "obj", "shared" };
        IEnumerable<string> Folders(string relative) => Directory.GetDirectories(Path.Combine(Repository.Root, relative))
            .Select(d => Path.GetRelativePath(Repository.Root, d).Replace('\\', '/'))
            .Where(d => !ignored.Contains(Path.GetFileName(d)) && !(relative == "." && Path.GetFileName(d).StartsWith('.')));
        var required = Folders(".").Concat(Folders("lib")).Concat(Folders("lib/TransformersBook")).ToList();
        var missing = required.Where(d => !named.Contains(d) && !named.Any(n => n.StartsWith(d + "/", StringComparison.Ordinal))).ToList();
        Assert.True(missing.Count == 0, "README.md's layout table does not name: " + string.Join(", ", missing));

        var absent = named.Where(n => !Directory.Exists(Path.Combine(Repository.Root, n)) && !File.Exists(Path.Combine(Repository.Root, n)))
            .ToList();
        Assert.True(absent.Count == 0, "README.md's layout table names paths that do not exist: " + string.Join(", ", absent));
    }
}
