using Xunit;

namespace Book.Chapters.Tests;

/// <summary>
/// The claims are the book's tests of its own science, so they must be able to fail. Two checks: every chapter's
/// default-profile results are in the ledger for the chapter's current source, and, for a few chapters, negating one
/// central measured value (the BOOK_MUTATE_CLAIM hook) makes the smoke run fail on exactly that claim.
/// </summary>
[Collection(BookEngineStream.Name)]
public class ClaimsCanFailTests
{
    [Fact]
    public void The_results_ledger_matches_every_chapters_source()
    {
        var stale = Book.Site.ResultsLedger.StaleChapters(Repository.Root);
        Assert.True(stale.Count == 0,
            "These chapters changed since their default-profile run in docs/results.md; run each with " +
            "`book run <chapter> --profile default --force`, then `book ledger <chapter>`:\n" + string.Join("\n", stale));
    }

    public static TheoryData<string, string> CentralClaims => new()
    {
        { "chapters/00-getting-started/00-preface.ipynb", "one character of context helps" },
        { "chapters/01-foundations/01-seq2seq-to-attention.ipynb", "phoneme accuracy on words of ≥" },
        { "chapters/01-foundations/05-positional-encodings.ipynb", "Rotary extrapolates better than learned positions" },
        { "chapters/02-architectures/06-mixture-of-experts.ipynb", "dropped share in training: without balancing − with" },
    };

    [Theory]
    [MemberData(nameof(CentralClaims))]
    public void Negating_a_central_measured_value_fails_the_smoke_run(string chapter, string claim)
    {
        var environment = new Dictionary<string, string> { ["BOOK_MUTATE_CLAIM"] = claim };
        var (code, output) = Repository.Run(TimeSpan.FromMinutes(10), environment, "dotnet",
            Path.Combine(Repository.Root, "artifacts", "book", "book.dll"), "run", chapter, "--profile", "smoke", "--force",
            "--out", Path.Combine(Repository.Root, "build", "notebooks-mutated"));
        Assert.True(code != 0, $"the smoke run passed with '{claim}' negated:\n{output}");
        Assert.Contains($"Claim failed: {claim}", output);
        Assert.Contains("mutated by BOOK_MUTATE_CLAIM", output);
    }
}
