namespace Book.Site.Tests;

/// <summary>The fixture book rendered once into a temp folder, shared by the tests that only read the output.</summary>
public sealed class RenderedFixtureSite : IDisposable
{
    private readonly TempFolder _folder = new();

    public RenderedFixtureSite()
    {
        BookFolder = _folder.Combine("book");
        Directory.CreateDirectory(BookFolder);
        FixtureBook.WriteTo(BookFolder);
        Result = SiteRenderer.Render(new SiteRenderOptions(
            Path.Combine(BookFolder, "book.yml"),
            Path.Combine(BookFolder, "build", "notebooks"),
            Path.Combine(BookFolder, "build", "site"),
            FrontEndAssets.SiteFolder));
    }

    public string BookFolder { get; }

    public SiteRenderResult Result { get; }

    public string SiteFolder => Result.OutputFolder;

    public string Read(string sitePath) => File.ReadAllText(Path.Combine(SiteFolder, sitePath));

    public void Dispose() => _folder.Dispose();
}
