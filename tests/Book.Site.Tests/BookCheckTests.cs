using System.Text.Json.Nodes;

namespace Book.Site.Tests;

public sealed class BookCheckTests : IDisposable
{
    private readonly TempFolder _book = new();

    public BookCheckTests() => FixtureBook.WriteTo(_book.Path, withExecutedCopies: false);

    public void Dispose() => _book.Dispose();

    private IReadOnlyList<BookProblem> Check() => BookCheck.Run(_book.Combine("book.yml"));

    private void EditNotebook(string file, Action<JsonObject> edit)
    {
        var path = _book.Combine(file);
        var notebook = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(notebook);
        File.WriteAllText(path, notebook.ToJsonString());
    }

    private void EditBook(Func<string, string> edit) =>
        File.WriteAllText(_book.Combine("book.yml"), edit(File.ReadAllText(_book.Combine("book.yml"))));

    private static JsonObject Cell(JsonObject notebook, int number) => notebook["cells"]![number - 1]!.AsObject();

    [Fact]
    public void A_clean_book_has_no_problems()
    {
        Assert.Empty(Check());
    }

    [Fact]
    public void A_notebook_missing_from_book_yml_is_reported()
    {
        const string stray = "chapters/01-foundations/03-draft.ipynb";
        FixtureNotebook.Write(_book.Combine(stray), FixtureBook.SoftmaxNotebook.ToSource());
        FixtureNotebook.Write(_book.Combine("chapters/01-foundations/.ipynb_checkpoints/01-attention-checkpoint.ipynb"), FixtureBook.AttentionNotebook.ToExecuted());

        var problem = Assert.Single(Check());

        Assert.Equal(stray, problem.File);
        Assert.Contains("not listed in book.yml", problem.Message);
    }

    [Fact]
    public void A_listed_chapter_that_does_not_exist_is_reported()
    {
        EditBook(yml => yml.Replace("02-softmax.ipynb", "02-softmax-renamed.ipynb"));

        var problems = Check();

        Assert.Contains(problems, p => p.File == "book.yml" && p.Message.Contains("chapters/01-foundations/02-softmax-renamed.ipynb does not exist"));
        Assert.Contains(problems, p => p.File == FixtureBook.Softmax && p.Message.Contains("not listed"));
    }

    [Fact]
    public void A_chapter_listed_twice_is_reported()
    {
        EditBook(yml => yml + """

              - title: "Getting started again"
                chapters:
                  - title: "Preface, again"
                    file: chapters/00-getting-started/00-preface.ipynb
            """);

        var problem = Assert.Single(Check());

        Assert.Equal("book.yml", problem.File);
        Assert.Contains($"{FixtureBook.Preface} is listed more than once", problem.Message);
        Assert.Contains("Preface, again", problem.Message);
    }

    [Fact]
    public void A_listed_file_outside_chapters_is_reported()
    {
        FixtureNotebook.Write(_book.Combine("notes/scratch.ipynb"), FixtureBook.PrefaceNotebook.ToSource());
        EditBook(yml => yml.Replace(FixtureBook.Preface, "notes/scratch.ipynb"));

        var problems = Check();

        Assert.Contains(problems, p => p.File == "book.yml" && p.Message.Contains("'notes/scratch.ipynb' is not a .ipynb under chapters/"));
    }

    [Fact]
    public void Invalid_json_is_reported_for_that_file()
    {
        File.WriteAllText(_book.Combine(FixtureBook.Softmax), "{ \"cells\": [ ");

        var problem = Assert.Single(Check());

        Assert.Equal(FixtureBook.Softmax, problem.File);
        Assert.Contains("not valid JSON", problem.Message);
    }

    [Fact]
    public void A_notebook_without_cells_is_reported()
    {
        File.WriteAllText(_book.Combine(FixtureBook.Softmax), "{ \"nbformat\": 4 }");

        var problem = Assert.Single(Check());

        Assert.Equal(FixtureBook.Softmax, problem.File);
        Assert.Contains("no \"cells\" array", problem.Message);
    }

    [Fact]
    public void An_older_nbformat_is_reported()
    {
        EditNotebook(FixtureBook.Attention, notebook => notebook["nbformat"] = 3);

        var problem = Assert.Single(Check());

        Assert.Equal(FixtureBook.Attention, problem.File);
        Assert.Contains("is not an nbformat 4 notebook", problem.Message);
        Assert.Contains("found 3", problem.Message);
    }

    [Fact]
    public void Committed_outputs_are_reported_with_the_cell()
    {
        EditNotebook(FixtureBook.Attention, notebook =>
            Cell(notebook, 3)["outputs"] = new JsonArray(FixtureNotebook.Stream("stdout", "3 scores\n")));

        var problem = Assert.Single(Check());

        Assert.Equal(FixtureBook.Attention, problem.File);
        Assert.Equal(3, problem.Cell);
        Assert.Contains("output(s) committed", problem.Message);
        Assert.Equal($"{FixtureBook.Attention}, cell 3: {problem.Message}", problem.ToString());
    }

    [Fact]
    public void A_committed_execution_count_is_reported_with_the_cell()
    {
        EditNotebook(FixtureBook.Softmax, notebook => Cell(notebook, 3)["execution_count"] = 7);

        var problem = Assert.Single(Check());

        Assert.Equal((FixtureBook.Softmax, (int?)3), (problem.File, problem.Cell));
        Assert.Contains("execution_count is 7", problem.Message);
    }

    [Theory]
    [InlineData("kernelspec", "name", "csharp-book")]
    [InlineData("kernelspec", "display_name", "C# (Transformers book)")]
    [InlineData("kernelspec", "language", "C#")]
    [InlineData("language_info", "name", "C#")]
    public void A_wrong_kernelspec_is_reported(string section, string key, string expected)
    {
        EditNotebook(FixtureBook.Preface, notebook => notebook["metadata"]![section]![key] = ".net-csharp");

        var problem = Assert.Single(Check());

        Assert.Equal(FixtureBook.Preface, problem.File);
        Assert.Equal($"metadata.{section}.{key} is \".net-csharp\"; expected \"{expected}\".", problem.Message);
    }

    [Fact]
    public void Missing_kernel_metadata_is_reported()
    {
        EditNotebook(FixtureBook.Preface, notebook => notebook["metadata"] = new JsonObject());

        var problems = Check();

        Assert.Equal(5, problems.Count);
        Assert.All(problems, p => Assert.Equal(FixtureBook.Preface, p.File));
        Assert.Contains(problems, p => p.Message.StartsWith("metadata.polyglot_notebook.kernelInfo.defaultKernelName is missing", StringComparison.Ordinal));
    }

    [Fact]
    public void A_setup_cell_that_differs_is_reported_with_the_line()
    {
        EditNotebook(FixtureBook.Softmax, notebook =>
            Cell(notebook, 2)["source"] = FixtureBook.SetupCell.Replace("Plotly.NET.CSharp, 0.14.0", "Plotly.NET.CSharp, 0.13.0"));

        var problem = Assert.Single(Check());

        Assert.Equal((FixtureBook.Softmax, (int?)2), (problem.File, problem.Cell));
        Assert.Contains($"differs from the one in {FixtureBook.Preface} at line 2", problem.Message);
        Assert.Contains("0.13.0", problem.Message);
    }

    [Fact]
    public void A_setup_cell_with_an_extra_line_is_reported()
    {
        EditNotebook(FixtureBook.Attention, notebook => Cell(notebook, 2)["source"] = FixtureBook.SetupCell + "\n#r \"nuget: Extra, 1.0.0\"");

        var problem = Assert.Single(Check());

        Assert.Equal((FixtureBook.Attention, (int?)2), (problem.File, problem.Cell));
        Assert.Contains("at line 4", problem.Message);
    }

    [Fact]
    public void A_chapter_without_code_is_reported()
    {
        EditNotebook(FixtureBook.Preface, notebook => notebook["cells"]!.AsArray().RemoveAt(1));

        var problems = Check();

        Assert.Contains(problems, p => p.File == FixtureBook.Preface && p.Message.Contains("no code cell"));
    }

    [Fact]
    public void Setup_cell_versions_must_match_Directory_Packages_props()
    {
        File.WriteAllText(_book.Combine("Directory.Packages.props"), FixtureBook.PackagesProps.Replace("0.14.0", "0.15.0").Replace("<PackageVersion Include=\"Plotly.NET\" Version=\"6.0.0\" />", ""));

        var problems = Check();

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.File == FixtureBook.Preface && p.Cell == 2 && p.Message == "Plotly.NET is referenced but Directory.Packages.props does not pin it.");
        Assert.Contains(problems, p => p.File == FixtureBook.Preface && p.Cell == 2 && p.Message == "Plotly.NET.CSharp is pinned to 0.14.0 here but to 0.15.0 in Directory.Packages.props.");
    }

    [Fact]
    public void An_unpinned_package_reference_is_reported()
    {
        var unpinned = FixtureBook.SetupCell.Replace("Plotly.NET, 6.0.0", "Plotly.NET");
        foreach (var (file, cell) in new[] { (FixtureBook.Preface, 2), (FixtureBook.Attention, 2), (FixtureBook.Softmax, 2) })
        {
            EditNotebook(file, notebook => Cell(notebook, cell)["source"] = unpinned);
        }

        var problem = Assert.Single(Check());

        Assert.Equal(FixtureBook.Preface, problem.File);
        Assert.Contains("#r \"nuget: Plotly.NET\" has no version", problem.Message);
    }

    [Fact]
    public void A_broken_book_yml_is_reported_and_notebooks_are_still_checked()
    {
        File.WriteAllText(_book.Combine("book.yml"), "title: [unclosed\n");
        EditNotebook(FixtureBook.Softmax, notebook => notebook["nbformat"] = 5);

        var problems = Check();

        Assert.Contains(problems, p => p.File == "book.yml" && p.Message.StartsWith("line 1", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.File == FixtureBook.Softmax && p.Message.Contains("found 5"));
    }
    [Fact]
    public void A_smoke_threshold_that_accepts_the_opposite_of_its_claim_is_reported()
    {
        EditNotebook(FixtureBook.Softmax, notebook => Cell(notebook, 3)["source"] =
            "Claim.AtLeast(\"attention beats no attention (accuracy, points)\", gain, smoke: -0.15, @default: 0.05)");
        EditNotebook(FixtureBook.Attention, notebook => Cell(notebook, 3)["source"] =
            "Claim.AtLeast(\"loss falls (first − last)\", drop, smoke: 0.1, @default: 0.5);\nClaim.AtLeast(\"fine\", x, smoke: Claim.NotChecked, @default: 0.1)");

        var problem = Assert.Single(Check());

        Assert.Equal(FixtureBook.Softmax, problem.File);
        Assert.Equal(3, problem.Cell);
        Assert.Contains("Claim.AtLeast accepts a negative value in smoke (-0.15)", problem.Message);
    }

    [Fact]
    public void Prose_reporting_results_as_anecdotes_is_reported()
    {
        EditNotebook(FixtureBook.Softmax, notebook => Cell(notebook, 1)["source"] = "# Softmax\n\nIn our runs the kernel was twice as fast.");

        var problem = Assert.Single(Check());

        Assert.Equal(1, problem.Cell);
        Assert.Contains("\"In our runs\"", problem.Message);
    }
}
