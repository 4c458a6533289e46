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
}
