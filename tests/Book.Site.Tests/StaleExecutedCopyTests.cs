using System.Text.Json.Nodes;

namespace Book.Site.Tests;

/// <summary>`book render` refuses an executed copy that is not the result of the chapter's current source.</summary>
public sealed class StaleExecutedCopyTests : IDisposable
{
    private readonly TempFolder _book = new();

    public StaleExecutedCopyTests() => FixtureBook.WriteTo(_book.Path);

    public void Dispose() => _book.Dispose();

    private string ExecutedAttention => _book.Combine("build", "notebooks", FixtureBook.Attention);

    private void RecordRun(string status, string sourceHash)
    {
        var notebook = JsonNode.Parse(File.ReadAllText(ExecutedAttention))!;
        notebook["metadata"]!["book"] = new JsonObject { ["status"] = status, ["source_sha256"] = sourceHash };
        FixtureNotebook.Write(ExecutedAttention, notebook);
    }

    private SiteRenderResult Render() =>
        SiteRenderer.Render(new SiteRenderOptions(_book.Combine("book.yml"), _book.Combine("build", "notebooks"), _book.Combine("build", "site"), FrontEndAssets.SiteFolder));

    [Fact]
    public void A_copy_made_from_the_current_source_renders()
    {
        RecordRun("passed", ResultsLedger.SourceHash(_book.Combine(FixtureBook.Attention)));
        Assert.NotEmpty(Render().Pages);
    }

    [Fact]
    public void A_copy_made_from_an_older_source_is_refused()
    {
        RecordRun("passed", ResultsLedger.SourceHash(_book.Combine(FixtureBook.Attention)));
        File.AppendAllText(_book.Combine(FixtureBook.Attention), "\n");
        var error = Assert.Throws<SiteRenderException>(Render);
        Assert.Contains(FixtureBook.Attention, error.Message);
        Assert.Contains("older version of the chapter's source", error.Message);
    }

    [Fact]
    public void A_copy_marked_stale_is_refused()
    {
        RecordRun("stale", ResultsLedger.SourceHash(_book.Combine(FixtureBook.Attention)));
        var error = Assert.Throws<SiteRenderException>(Render);
        Assert.Contains("is marked stale", error.Message);
    }
}
