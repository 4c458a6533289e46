namespace Book.Site;

/// <summary>
/// A page's place in the rendered site. Every link the renderer writes is relative ("../../assets/…"), so the
/// folder works from any URL path and from file://; this is where the way back to the site root is computed.
/// </summary>
internal sealed record SitePage(string Path)
{
    /// <summary>"", "../", "../../", … : from this page's folder back to the site root.</summary>
    public string ToRoot { get; } = string.Concat(Enumerable.Repeat("../", Path.Count(c => c == '/')));

    /// <summary>A relative URL from this page to a site-relative path, each segment percent-encoded.</summary>
    public string LinkTo(string sitePath) =>
        ToRoot + string.Join('/', sitePath.Split('/').Select(Uri.EscapeDataString));

    /// <summary>Where a chapter's page goes: the notebook's path with .html instead of .ipynb.</summary>
    public static SitePage ForChapter(string notebookPath) => new(System.IO.Path.ChangeExtension(notebookPath, ".html"));
}
