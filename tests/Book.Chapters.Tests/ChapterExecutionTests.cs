using Xunit;

namespace Book.Chapters.Tests;

/// <summary>Every chapter runs headlessly in the smoke profile, so a claim that stops holding fails the build.</summary>
[Collection(BookEngineStream.Name)]
public class ChapterExecutionTests
{
    [Theory]
    [MemberData(nameof(Repository.Chapters), MemberType = typeof(Repository))]
    public void Chapter_runs_in_the_smoke_profile(string chapter)
    {
        // --notebook-timeout: the smoke budget is 60 s on 2 cores; a first run also restores packages and fetches data.
        var (code, output) = Repository.Book(TimeSpan.FromMinutes(12), "run", chapter, "--profile", "smoke", "--notebook-timeout", "10");
        Assert.True(code == 0, output);
        Repository.AssertValidNotebook(Path.Combine(Repository.Root, "build", "notebooks", chapter));
    }
}

/// <summary>
/// Every chapter runs unchanged in .NET Interactive, the engine of Polyglot Notebooks, through its Jupyter kernel
/// (.net-csharp, the tool pinned in .config/dotnet-tools.json) and Debian's nbconvert, as a reader's Jupyter would.
/// </summary>
[Collection(DotNetInteractiveStream.Name)]
public class DotNetInteractiveChapterTests
{
    [Theory]
    [MemberData(nameof(Repository.Chapters), MemberType = typeof(Repository))]
    public void Chapter_runs_in_dotnet_interactive(string chapter)
    {
        var (code, output) = Repository.Book(TimeSpan.FromMinutes(12), "run", chapter, "--engine", "dotnet-interactive", "--profile", "smoke",
            "--notebook-timeout", "10");
        Assert.True(code == 0, output);
        Repository.AssertValidNotebook(Path.Combine(Repository.Root, "build", "notebooks-dotnet-interactive", chapter));
    }
}
