using Book.Native;

namespace Book.Site.Tests;

public sealed class BookTocTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string WriteBook(string yaml)
    {
        var path = _folder.Combine("book.yml");
        File.WriteAllText(path, yaml);
        return path;
    }

    [Fact]
    public void Loads_parts_and_chapters_in_order()
    {
        var toc = BookToc.Load(WriteBook(FixtureBook.BookYml));

        Assert.Equal("Attention, in C#", toc.Title);
        Assert.Equal("An executable book about transformers", toc.Subtitle);
        Assert.Equal(["Getting started", "Foundations of attention and transformers"], toc.Parts.Select(p => p.Title));
        Assert.Equal([FixtureBook.Preface, FixtureBook.Attention, FixtureBook.Softmax], toc.Chapters.Select(c => c.Chapter.File));
        Assert.Equal("Foundations of attention and transformers", toc.Chapters.Last().Part.Title);
    }

    [Fact]
    public void Subtitle_is_optional_and_backslashes_become_slashes()
    {
        var toc = BookToc.Load(WriteBook("""
            title: Book
            parts:
              - title: One
                chapters:
                  - title: First
                    file: chapters\01-one\01-first.ipynb
            """));

        Assert.Null(toc.Subtitle);
        Assert.Equal("chapters/01-one/01-first.ipynb", toc.Parts[0].Chapters[0].File);
    }

    [Fact]
    public void Missing_file_is_reported_with_its_path()
    {
        var path = _folder.Combine("nowhere", "book.yml");

        var error = Assert.Throws<BookTocException>(() => BookToc.Load(path));

        Assert.Equal(path, error.FilePath);
        Assert.Contains(path, error.Message);
        Assert.Contains("does not exist", error.Message);
    }

    [Fact]
    public void Invalid_yaml_names_the_file_and_the_line()
    {
        var path = WriteBook("title: Book\nparts:\n  - title: One\n    chapters: [unclosed\n");

        var error = Assert.Throws<BookTocException>(() => BookToc.Load(path));

        Assert.StartsWith(path + ": line ", error.Message);
    }

    [Fact]
    public void Unknown_keys_are_rejected_with_their_name()
    {
        var path = WriteBook("title: Book\nauthor: Someone\nparts: []\n");

        var error = Assert.Throws<BookTocException>(() => BookToc.Load(path));

        Assert.Contains("line 2", error.Message);
        Assert.Contains("author", error.Message);
    }

    [Fact]
    public void Empty_file_says_what_is_needed()
    {
        var error = Assert.Throws<BookTocException>(() => BookToc.Load(WriteBook("")));

        Assert.Contains("empty", error.Message);
        Assert.Contains("'parts'", error.Message);
    }

    [Fact]
    public void Every_missing_field_is_listed_with_where_it_is()
    {
        var path = WriteBook("""
            parts:
              - title: One
                chapters:
                  - title: No file here
                  - file: chapters/01-one/02-untitled.ipynb
              - title: Empty part
                chapters: []
              - chapters:
                  - title: Absolute
                    file: /etc/passwd
            """);

        var error = Assert.Throws<BookTocException>(() => BookToc.Load(path));

        Assert.Contains("'title' is missing.", error.Message);
        Assert.Contains("parts[0].chapters[0] ('No file here'): 'file' is missing.", error.Message);
        Assert.Contains("parts[0].chapters[1]: 'title' is missing.", error.Message);
        Assert.Contains("parts[1] ('Empty part'): 'chapters' is missing or empty.", error.Message);
        Assert.Contains("parts[2]: 'title' is missing.", error.Message);
        Assert.Contains("parts[2].chapters[0]: 'file' must be relative", error.Message);
    }

    [Fact]
    public void A_book_without_parts_is_rejected()
    {
        var error = Assert.Throws<BookTocException>(() => BookToc.Load(WriteBook("title: Book\n")));

        Assert.Contains("'parts' is missing or empty", error.Message);
    }

    [Fact]
    public void The_root_is_found_from_any_folder_below_it()
    {
        WriteBook(FixtureBook.BookYml);
        var nested = Directory.CreateDirectory(_folder.Combine("chapters", "01-foundations")).FullName;

        Assert.Equal(_folder.Path, BookRoot.FindFrom(nested));
    }

    [Fact]
    public void No_root_is_found_where_no_folder_above_holds_book_yml()
    {
        using var elsewhere = new TempFolder();

        Assert.Null(BookRoot.FindFrom(elsewhere.Path));
    }
}
