using System.Net;
using System.Text;

namespace Book.Site;

/// <summary>What one page of the site shows inside the shared layout.</summary>
internal sealed record PageModel(SitePage Page, string Title, string ArticleHtml)
{
    /// <summary>The chapter's own page path, highlighted in the sidebar; null on pages that are not chapters.</summary>
    public string? CurrentChapter { get; init; }

    /// <summary>h2/h3 headings listed under "On this page".</summary>
    public IReadOnlyList<PageHeading> Contents { get; init; } = [];

    public bool UsesPlotly { get; init; }

    public bool ShowSidebar { get; init; } = true;

    /// <summary>The 404 page is served for any missing URL, so it finds the site root at run time (<see cref="SiteAssets.NotFoundBaseScript"/>).</summary>
    public bool IsNotFound { get; init; }
}

/// <summary>
/// The HTML shell every page shares: head with local assets only, top bar (search, theme toggle), chapter sidebar,
/// article, and "On this page" contents. All URLs are relative to the page (see <see cref="SitePage"/>).
/// </summary>
internal sealed class PageLayout(BookToc toc)
{
    // Runs before the first paint so a dark-mode reader never sees a white flash.
    private const string ThemeBootstrap =
        """(function(){var t;try{t=localStorage.getItem("book-theme")}catch(e){}if(t!=="dark"&&t!=="light"){t=window.matchMedia&&matchMedia("(prefers-color-scheme: dark)").matches?"dark":"light"}document.documentElement.setAttribute("data-theme",t)})();""";

    public string Render(PageModel model)
    {
        var page = model.Page;
        var head = new StringBuilder();
        if (model.IsNotFound)
        {
            // Must come before every relative URL on the page: it sets <base> to the site root.
            head.Append($"<script>{SiteAssets.NotFoundBaseScript}</script>\n");
        }

        head.Append($"<script>{ThemeBootstrap}</script>\n");
        head.Append($"<link rel=\"icon\" type=\"image/svg+xml\" href=\"{page.LinkTo(SiteAssets.Favicon)}\">\n");
        head.Append($"<link rel=\"stylesheet\" href=\"{page.LinkTo(SiteAssets.KatexCss)}\">\n");
        head.Append($"<link rel=\"stylesheet\" href=\"{page.LinkTo(SiteAssets.ThemeCss)}\">\n");
        if (model.UsesPlotly)
        {
            // A few lines, run before any chart output: they stand in for Plotly (and RequireJS) and queue the calls
            // that charts made as HTML (Plotly.NET, .NET Interactive) make while the page is parsed.
            head.Append($"<script src=\"{page.LinkTo(SiteAssets.PlotlyRequireJs)}\"></script>\n");
        }

        head.Append($"<script src=\"{page.LinkTo(SiteAssets.KatexJs)}\" defer></script>\n");
        head.Append($"<script src=\"{page.LinkTo(SiteAssets.HighlightJs)}\" defer></script>\n");
        if (model.UsesPlotly)
        {
            // Deferred, so 4.6 MB of plotly.js does not hold up the first paint; book.js, deferred after it, draws the
            // charts once it has run.
            head.Append($"<script src=\"{page.LinkTo(SiteAssets.PlotlyJs)}\" defer></script>\n");
        }

        head.Append($"<script src=\"{page.LinkTo(SiteAssets.ThemeJs)}\" defer></script>\n");

        var title = model.Title == toc.Title ? toc.Title : $"{model.Title} · {toc.Title}";
        var layoutClass = model.ShowSidebar ? "layout" : "layout layout-wide";
        return $"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{Escape(title)}</title>
            {head}</head>
            <body data-root="{page.ToRoot}">
            <a class="skip-link" href="#content">Skip to the text</a>
            {TopBar(page, model.ShowSidebar)}
            <div class="{layoutClass}">
            {(model.ShowSidebar ? Sidebar(page, model.CurrentChapter) : "")}
            <main id="content" class="content">
            {model.ArticleHtml}
            </main>
            {PageContents(model.Contents)}
            </div>
            <footer class="site-footer">
            <p>{Escape(toc.Title)}{(toc.Subtitle is null ? "" : " — " + Escape(toc.Subtitle))}. Math by KaTeX, code by highlight.js, charts by Plotly, all served from this site.</p>
            </footer>
            </body>
            </html>

            """;
    }

    private string TopBar(SitePage page, bool hasSidebar) => $"""
        <header class="topbar">
        {(hasSidebar ? """<button type="button" class="icon-button menu-toggle" aria-controls="sidebar" aria-expanded="false" aria-label="Show chapters"><svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 7h16M4 12h16M4 17h16"/></svg></button>""" : "")}
        <a class="brand" href="{page.LinkTo("index.html")}">{Escape(toc.Title)}</a>
        <div class="search" role="search">
        <input type="search" id="search-input" placeholder="Search the book" aria-label="Search the book" autocomplete="off" spellcheck="false" aria-controls="search-results" aria-expanded="false">
        <kbd class="search-key" aria-hidden="true">/</kbd>
        <ol id="search-results" class="search-results" hidden></ol>
        </div>
        <button type="button" class="icon-button theme-toggle" aria-label="Switch between light and dark mode" title="Switch between light and dark mode"><svg class="icon-moon" viewBox="0 0 24 24" aria-hidden="true"><path d="M20 14.5A8 8 0 0 1 9.5 4a8 8 0 1 0 10.5 10.5z"/></svg><svg class="icon-sun" viewBox="0 0 24 24" aria-hidden="true"><circle cx="12" cy="12" r="4"/><path d="M12 2v2.5M12 19.5V22M2 12h2.5M19.5 12H22M4.9 4.9l1.8 1.8M17.3 17.3l1.8 1.8M4.9 19.1l1.8-1.8M17.3 6.7l1.8-1.8"/></svg></button>
        </header>
        """;

    private string Sidebar(SitePage page, string? current)
    {
        var html = new StringBuilder("<nav class=\"sidebar\" id=\"sidebar\" aria-label=\"Chapters\">\n");
        html.Append($"<a class=\"sidebar-home\" href=\"{page.LinkTo("index.html")}\">Contents</a>\n");
        foreach (var part in toc.Parts)
        {
            html.Append($"<section class=\"sidebar-part\">\n<h2>{Escape(part.Title)}</h2>\n<ol>\n");
            foreach (var chapter in part.Chapters)
            {
                var path = SitePage.ForChapter(chapter.File).Path;
                var currentMark = path == current ? " aria-current=\"page\"" : "";
                html.Append($"<li><a href=\"{page.LinkTo(path)}\"{currentMark}>{Escape(chapter.Title)}</a></li>\n");
            }

            html.Append("</ol>\n</section>\n");
        }

        return html.Append("</nav>").ToString();
    }

    private static string PageContents(IReadOnlyList<PageHeading> headings)
    {
        var listed = headings.Where(h => h.Level is 2 or 3).ToList();
        if (listed.Count == 0)
        {
            return "";
        }

        var html = new StringBuilder("<aside class=\"page-toc\" aria-label=\"On this page\">\n<h2>On this page</h2>\n<ol>\n");
        foreach (var heading in listed)
        {
            html.Append($"<li class=\"toc-h{heading.Level}\"><a href=\"#{Escape(heading.Id)}\">{Escape(heading.Text)}</a></li>\n");
        }

        return html.Append("</ol>\n</aside>").ToString();
    }

    private static string Escape(string text) => WebUtility.HtmlEncode(text);
}
