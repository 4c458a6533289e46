namespace Book.Site.Tests;

/// <summary>
/// The repository's own book (book.yml and every chapter under chapters/) rendered once from its sources, without
/// executed copies: what the browser tests check for math and layout across real chapters, not only the fixture.
/// </summary>
public sealed class RenderedRealBook : IDisposable
{
    private readonly TempFolder _folder = new();

    public RenderedRealBook()
    {
        Result = SiteRenderer.Render(new SiteRenderOptions(
            Path.Combine(FrontEndAssets.RepositoryRoot, "book.yml"),
            _folder.Combine("no-executed-copies"),
            _folder.Combine("site"),
            FrontEndAssets.SiteFolder));
    }

    public SiteRenderResult Result { get; }

    public string FileUrl(string sitePath) => new Uri(Path.Combine(Result.OutputFolder, sitePath)).AbsoluteUri;

    public void Dispose() => _folder.Dispose();
}
