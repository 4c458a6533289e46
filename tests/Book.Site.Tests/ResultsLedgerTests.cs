using System.Text.Json.Nodes;

namespace Book.Site.Tests;

public sealed class ResultsLedgerTests : IDisposable
{
    private readonly TempFolder _book = new();

    public ResultsLedgerTests() => FixtureBook.WriteTo(_book.Path, withExecutedCopies: true);

    public void Dispose() => _book.Dispose();

    /// <summary>Gives an executed copy the run record the runner writes, for the chapter's current source.</summary>
    private void StampRun(string chapter, string profile, string status = "passed", string? sourceHash = null, params (string Name, string Status, string Measured, string Expected)[] claims)
    {
        string copy = _book.Combine("build/notebooks/" + chapter);
        var notebook = JsonNode.Parse(File.ReadAllText(copy))!.AsObject();
        notebook["metadata"]!["book"] = new JsonObject
        {
            ["status"] = status,
            ["seconds"] = 12.5,
            ["profile"] = profile,
            ["engine"] = "book",
            ["finished"] = "2026-12-02T10:00:00Z",
            ["machine"] = "Test CPU, 2 logical cores, Linux x64",
            ["source_sha256"] = sourceHash ?? ResultsLedger.SourceHash(_book.Combine(chapter)),
            ["claims"] = new JsonArray(claims.Select(c => (JsonNode?)new JsonObject
            {
                ["name"] = c.Name, ["status"] = c.Status, ["measured"] = c.Measured, ["expected"] = c.Expected, ["profile"] = profile,
            }).ToArray()),
        };
        File.WriteAllText(copy, notebook.ToJsonString());
    }

    private IReadOnlyList<string> Record(out bool all, params string[] chapters) =>
        ResultsLedger.Record(_book.Path, chapters, _book.Combine("build/notebooks"), out all);

    [Fact]
    public void A_default_run_records_each_claim_with_its_threshold_and_the_source_hash()
    {
        StampRun(FixtureBook.Attention, "default", claims: [("attention beats averaging (accuracy)", "holds", "0.31", "> 0.05"), ("speed-up", "not checked", "—", "not checked in this profile")]);

        Record(out bool all, FixtureBook.Attention);

        Assert.True(all);
        string page = File.ReadAllText(_book.Combine(ResultsLedger.PageFile));
        Assert.Contains("| attention beats averaging (accuracy) | 0.31 | > 0.05 | ✔ holds |", page);
        Assert.Contains("| speed-up | — | not checked in this profile | – not checked |", page);
        Assert.Contains(ResultsLedger.SourceHash(_book.Combine(FixtureBook.Attention))[..16], page);
        Assert.DoesNotContain(FixtureBook.Attention, ResultsLedger.StaleChapters(_book.Path));
    }

    [Fact]
    public void A_smoke_run_records_the_smoke_time_and_how_many_claims_smoke_checks()
    {
        StampRun(FixtureBook.Softmax, "smoke", claims: [("a", "holds", "1", "≥ 0"), ("b", "not checked", "—", "not checked in this profile"), ("c", "holds", "2", "≤ 3")]);

        Record(out _, FixtureBook.Softmax);

        var smoke = ResultsLedger.Load(_book.Path)["chapters"]![FixtureBook.Softmax]!["smoke"]!;
        Assert.Equal(2, smoke["checked"]!.GetValue<int>());
        Assert.Equal(1, smoke["not_checked"]!.GetValue<int>());
        Assert.Contains("| Softmax, carefully | 12.5 | 2 | 1 |", File.ReadAllText(_book.Combine(ResultsLedger.PageFile)));
        // A smoke run is no default-profile entry: the chapter still needs one.
        Assert.Contains(FixtureBook.Softmax, ResultsLedger.StaleChapters(_book.Path));
    }

    [Fact]
    public void A_changed_source_makes_its_entry_stale()
    {
        StampRun(FixtureBook.Attention, "default");
        Record(out _, FixtureBook.Attention);
        File.AppendAllText(_book.Combine(FixtureBook.Attention), " ");

        Assert.Contains(FixtureBook.Attention, ResultsLedger.StaleChapters(_book.Path));
    }

    [Fact]
    public void Failed_and_outdated_copies_are_refused_and_the_ledger_keeps_its_entry()
    {
        StampRun(FixtureBook.Attention, "default", claims: [("kept", "holds", "1", "≥ 0")]);
        Record(out _, FixtureBook.Attention);
        StampRun(FixtureBook.Attention, "default", status: "failed");
        StampRun(FixtureBook.Softmax, "default", sourceHash: "0123");

        var report = Record(out bool all, FixtureBook.Attention, FixtureBook.Softmax);

        Assert.False(all);
        Assert.Contains(report, line => line.Contains(FixtureBook.Attention) && line.Contains("did not pass"));
        Assert.Contains(report, line => line.Contains(FixtureBook.Softmax) && line.Contains("older than the chapter's source"));
        Assert.Contains("| kept | 1 | ≥ 0 | ✔ holds |", File.ReadAllText(_book.Combine(ResultsLedger.PageFile)));
    }
}
