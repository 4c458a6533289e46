namespace Book.Site.Tests;

public sealed class ReadmeLayoutTests : IDisposable
{
    private readonly TempFolder _repo = new();

    public ReadmeLayoutTests()
    {
        Directory.CreateDirectory(_repo.Combine("lib", "Book.Cli"));
        File.WriteAllText(_repo.Combine("lib", "Book.Cli", "Book.Cli.csproj"), "<Project />");
        Directory.CreateDirectory(_repo.Combine("lib", "TransformersBook", "Attention"));
        File.WriteAllText(_repo.Combine("lib", "TransformersBook", "TransformersBook.csproj"), "<Project />");
        File.WriteAllText(_repo.Combine("lib", "TransformersBook", "Attention", "Masks.cs"), "");
        Directory.CreateDirectory(_repo.Combine("lib", "TransformersBook", "obj", "Debug"));
        File.WriteAllText(_repo.Combine("lib", "TransformersBook", "obj", "Debug", "Generated.cs"), "");
        Directory.CreateDirectory(_repo.Combine("docs"));
        File.WriteAllText(_repo.Combine("docs", "results.md"), "");
    }

    public void Dispose() => _repo.Dispose();

    private const string CompleteTable = """
        # A book

        ## Layout

        | Path | What it holds |
        |---|---|
        | `chapters/<nn>-<part>/<nn>-<slug>.ipynb` | chapters |
        | `lib/TransformersBook` | the library |
        | `lib/TransformersBook/Attention` | masks |
        | `lib/Book.Cli` | the CLI |
        | `docs/results.md`, `docs/` | results |

        ## Next section

        | `lib/Ignored` | a table outside the layout section is not read |
        """;

    private IReadOnlyList<BookProblem> CheckWith(string readme)
    {
        File.WriteAllText(_repo.Combine(ReadmeLayout.FileName), readme);
        return ReadmeLayout.Check(_repo.Path);
    }

    [Fact]
    public void A_table_naming_every_project_and_library_folder_has_no_problems() =>
        Assert.Empty(CheckWith(CompleteTable));

    [Fact]
    public void A_repository_without_a_readme_is_not_checked() =>
        Assert.Empty(ReadmeLayout.Check(_repo.Path));

    [Fact]
    public void A_new_library_folder_without_a_row_is_reported_by_name()
    {
        Directory.CreateDirectory(_repo.Combine("lib", "TransformersBook", "Evaluation"));
        File.WriteAllText(_repo.Combine("lib", "TransformersBook", "Evaluation", "Bleu.cs"), "");

        var problem = Assert.Single(CheckWith(CompleteTable));
        Assert.Equal(ReadmeLayout.FileName, problem.File);
        Assert.Contains("`lib/TransformersBook/Evaluation` has no row", problem.Message);
    }

    [Fact]
    public void A_new_project_without_a_row_is_reported()
    {
        Directory.CreateDirectory(_repo.Combine("lib", "Book.Serving"));
        File.WriteAllText(_repo.Combine("lib", "Book.Serving", "Book.Serving.csproj"), "<Project />");

        var problem = Assert.Single(CheckWith(CompleteTable));
        Assert.Contains("`lib/Book.Serving` has no row", problem.Message);
    }

    [Fact]
    public void A_row_naming_a_path_that_does_not_exist_is_reported()
    {
        var problem = Assert.Single(CheckWith(CompleteTable.Replace("| `lib/Book.Cli` | the CLI |", "| `lib/Book.Cli`, `tools/gone` | the CLI |")));
        Assert.Contains("`tools/gone`, which does not exist", problem.Message);
    }

    [Fact]
    public void A_readme_without_the_layout_section_is_reported() =>
        Assert.Contains("no '## Layout' section", Assert.Single(CheckWith("# A book\n\nNo table here.\n")).Message);

    [Fact]
    public void Folders_without_sources_and_build_output_need_no_row()
    {
        Directory.CreateDirectory(_repo.Combine("lib", "TransformersBook", "Empty"));
        Directory.CreateDirectory(_repo.Combine("lib", "NotAProject"));

        Assert.Empty(CheckWith(CompleteTable));
    }
}
