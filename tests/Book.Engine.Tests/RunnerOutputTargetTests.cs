using Xunit;

namespace Book.Engine.Tests;

/// <summary>`book run` refuses, before running anything, a run whose executed copies would overwrite a source or each other, or cannot be written.</summary>
public class RunnerOutputTargetTests
{
    static string NewFolder(string prefix) => Directory.CreateTempSubdirectory(prefix).FullName;

    static string CopyOk(string dir, string name = "ok.ipynb")
    {
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, name);
        File.Copy(BookTool.NotebookPath("ok.ipynb"), path);
        return path;
    }

    [Fact]
    public void Out_dot_next_to_the_source_is_refused_and_the_source_is_untouched()
    {
        string dir = NewFolder("book-out-dot-");
        string source = CopyOk(dir);
        byte[] before = File.ReadAllBytes(source);
        var (code, output) = BookTool.Run(dir, "run", "ok.ipynb", "--out", ".");
        Assert.Equal(2, code);
        Assert.Contains("would overwrite the source notebook", output);
        Assert.Contains("nothing was run", output);
        Assert.Equal(before, File.ReadAllBytes(source));
    }

    [Fact]
    public void Out_naming_the_book_root_from_a_chapter_folder_is_refused()
    {
        // Inside a book, --out is taken from the book's root: "." there puts chapters/ok.ipynb onto itself.
        string book = NewFolder("book-out-root-");
        File.WriteAllText(Path.Combine(book, "book.yml"), "title: t\n");
        string chapters = Path.Combine(book, "chapters");
        string source = CopyOk(chapters);
        byte[] before = File.ReadAllBytes(source);
        var (code, output) = BookTool.Run(chapters, "run", "ok.ipynb", "--out", ".");
        Assert.Equal(2, code);
        Assert.Contains("would overwrite the source notebook", output);
        Assert.Equal(before, File.ReadAllBytes(source));
    }

    [Fact]
    public void Two_notebooks_outside_the_root_with_one_file_name_are_refused()
    {
        string dir = NewFolder("book-out-clash-");
        string a = CopyOk(Path.Combine(dir, "a")), b = CopyOk(Path.Combine(dir, "b"));
        string here = Path.Combine(dir, "here");
        Directory.CreateDirectory(here);
        var (code, output) = BookTool.Run(here, "run", a, b, "--out", Path.Combine(dir, "out"));
        Assert.Equal(2, code);
        Assert.Contains("would both write", output);
        Assert.False(File.Exists(Path.Combine(dir, "out", "ok.ipynb")));
    }

    [Fact]
    public void An_output_folder_that_cannot_be_written_is_reported_before_running()
    {
        string dir = NewFolder("book-out-file-");
        CopyOk(dir);
        string notAFolder = Path.Combine(dir, "file");
        File.WriteAllText(notAFolder, "");
        var (code, output) = BookTool.Run(dir, "run", "ok.ipynb", "--out", notAFolder);
        Assert.Equal(2, code);
        Assert.Contains("cannot write executed copies to", output);
        Assert.DoesNotContain("passed", output);
    }

    [Fact]
    public void An_unknown_option_is_an_error_not_a_notebook_path()
    {
        string dir = NewFolder("book-out-option-");
        CopyOk(dir);
        var (code, output) = BookTool.Run(dir, "run", "ok.ipynb", "--output", "x");
        Assert.NotEqual(0, code);
        Assert.Contains("--output", output);
        Assert.DoesNotContain("no such file", output);
    }
}
