using Xunit;

namespace Book.Chapters.Tests;

/// <summary>Every chapter runs headlessly in the smoke profile, so a claim that stops holding fails the build.</summary>
public class ChapterExecutionTests
{
    [Theory]
    [MemberData(nameof(Repository.Chapters), MemberType = typeof(Repository))]
    public void Chapter_runs_in_the_smoke_profile(string chapter)
    {
        // --notebook-timeout: the smoke budget is 60 s on 2 cores; a first run also restores packages and fetches data.
        var (code, output) = Repository.Book(TimeSpan.FromMinutes(12), "run", chapter, "--profile", "smoke", "--notebook-timeout", "10");
        Assert.True(code == 0, output);
    }
}
