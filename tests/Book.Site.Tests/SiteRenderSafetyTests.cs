namespace Book.Site.Tests;

/// <summary>Rendering into a folder: missing assets, folders it must not touch, stale pages, copied images.</summary>
public sealed class SiteRenderSafetyTests : IDisposable
{
    private readonly TempFolder _book = new();

    public SiteRenderSafetyTests() => FixtureBook.WriteTo(_book.Path);

    public void Dispose() => _book.Dispose();

    private SiteRenderResult Render(string output, string? assets = null) =>
        SiteRenderer.Render(new SiteRenderOptions(_book.Combine("book.yml"), _book.Combine("build", "notebooks"), output, assets ?? FrontEndAssets.SiteFolder));

    [Fact]
    public void Missing_npm_packages_fail_with_the_command_to_run()
    {
        var assets = Directory.CreateDirectory(_book.Combine("site")).FullName;
        File.Copy(Path.Combine(FrontEndAssets.SiteFolder, "package.json"), Path.Combine(assets, "package.json"));

        var error = Assert.Throws<SiteRenderException>(() => Render(_book.Combine("build", "site"), assets));

        Assert.Contains("katex is not installed", error.Message);
        Assert.Contains("Run `npm ci --prefix site`", error.Message);
        Assert.False(Directory.Exists(_book.Combine("build", "site")));
    }

    [Fact]
    public void A_folder_not_written_by_the_renderer_is_left_alone()
    {
        var output = Directory.CreateDirectory(_book.Combine("notes")).FullName;
        File.WriteAllText(Path.Combine(output, "todo.txt"), "keep me");

        var error = Assert.Throws<SiteRenderException>(() => Render(output));

        Assert.Contains("not empty and was not written by `book render`", error.Message);
        Assert.Equal("keep me", File.ReadAllText(Path.Combine(output, "todo.txt")));
    }

    [Fact]
    public void The_book_root_is_refused_as_output()
    {
        var error = Assert.Throws<SiteRenderException>(() => Render(_book.Path));

        Assert.Contains("is the book's root", error.Message);
        Assert.True(File.Exists(_book.Combine("book.yml")));
    }

    [Fact]
    public void Rendering_again_removes_pages_of_chapters_that_are_gone()
    {
        var output = _book.Combine("build", "site");
        Render(output);
        File.WriteAllText(_book.Combine("book.yml"), FixtureBook.BookYml.Replace("""
                  - title: "Softmax, carefully"
                    file: chapters/01-foundations/02-softmax.ipynb
            """, "").TrimEnd());

        var result = Render(output);

        Assert.DoesNotContain("chapters/01-foundations/02-softmax.html", result.Pages);
        Assert.False(File.Exists(Path.Combine(output, "chapters", "01-foundations", "02-softmax.html")));
        Assert.True(File.Exists(Path.Combine(output, "chapters", "01-foundations", "01-attention.html")));
    }

    [Fact]
    public void Images_next_to_the_book_are_copied_and_missing_ones_reported()
    {
        Directory.CreateDirectory(_book.Combine("docs"));
        File.WriteAllText(_book.Combine("docs", "heads.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"></svg>");
        var preface = new FixtureNotebook()
            .Markdown("# Preface\n\n![Attention heads](../../docs/heads.svg)\n\n![Missing](../../docs/missing.png)")
            .Code(FixtureBook.SetupCell);
        FixtureNotebook.Write(_book.Combine(FixtureBook.Preface), preface.ToSource());

        var result = Render(_book.Combine("build", "site"));

        Assert.True(File.Exists(_book.Combine("build", "site", "docs", "heads.svg")));
        Assert.Contains(result.Warnings, w => w == $"{FixtureBook.Preface}: image '../../docs/missing.png' is not a file inside the book; it will be missing from the site.");
    }

    [Fact]
    public void A_listed_chapter_that_is_missing_stops_the_render()
    {
        File.Delete(_book.Combine(FixtureBook.Softmax));

        var error = Assert.Throws<SiteRenderException>(() => Render(_book.Combine("build", "site")));

        Assert.Contains($"{FixtureBook.Softmax} is listed in book.yml but does not exist", error.Message);
    }
}
