using Xunit;

namespace Book.Chapters.Tests;

/// <summary>Chapters as .NET 10 file-based apps: every one exports and compiles; one that trains a model runs.</summary>
[Collection(BookEngineStream.Name)]
public class FileAppTests
{
    [Fact]
    public void Every_chapter_exports_to_an_app_that_compiles()
    {
        var (code, output) = Repository.Book(TimeSpan.FromMinutes(10), "export", "--all", "--check");
        Assert.True(code == 0, output);
    }

    [Fact]
    public void The_preface_runs_as_a_file_based_app_with_its_claims_and_training()
    {
        string folder = Path.Combine(Repository.Root, "build", "apps-test");
        var (exported, exportOutput) = Repository.Book(TimeSpan.FromMinutes(2), "export", "chapters/00-getting-started/00-preface.ipynb", "--out", folder);
        Assert.True(exported == 0, exportOutput);
        string app = Path.Combine(folder, "chapters", "00-getting-started", "00-preface.cs");

        var (code, output) = Repository.Run(TimeSpan.FromMinutes(10), "dotnet", "run", app);
        Assert.True(code == 0, output);
        // The bigram's training loop ran, its claims held, and its chart was written beside the app.
        Assert.Contains("step 300/300", output);
        Assert.Contains("✔ one character of context helps", output);
        Assert.DoesNotContain("✘", output);
        Assert.NotEmpty(Directory.GetFiles(Path.ChangeExtension(app, ".figures"), "*.html"));
    }
}
