using System.Net;
using System.Text;

namespace Book.Site;

/// <summary>The main column of each kind of page: landing page, chapter, and "not found".</summary>
internal static class SiteArticles
{
    public static string Landing(SitePage page, BookToc toc)
    {
        var html = new StringBuilder("<div class=\"landing\">\n<header class=\"landing-hero\">\n");
        html.Append($"<h1>{Escape(toc.Title)}</h1>\n");
        if (toc.Subtitle is not null)
        {
            html.Append($"<p class=\"landing-subtitle\">{Escape(toc.Subtitle)}</p>\n");
        }

        var first = toc.Chapters.First().Chapter;
        html.Append($"<p><a class=\"button\" href=\"{page.LinkTo(SitePage.ForChapter(first.File).Path)}\">Start reading</a></p>\n</header>\n");
        html.Append("<ol class=\"landing-parts\">\n");
        foreach (var part in toc.Parts)
        {
            html.Append($"<li class=\"landing-part\">\n<h2>{Escape(part.Title)}</h2>\n<ol class=\"landing-chapters\">\n");
            foreach (var chapter in part.Chapters)
            {
                html.Append($"<li><a href=\"{page.LinkTo(SitePage.ForChapter(chapter.File).Path)}\">{Escape(chapter.Title)}</a></li>\n");
            }

            html.Append("</ol>\n</li>\n");
        }

        return html.Append("</ol>\n</div>").ToString();
    }

    public static string Chapter(SitePage page, BookPart part, BookChapter chapter, ChapterContent content, bool withOutputs, BookChapter? previous, BookChapter? next)
    {
        var html = new StringBuilder("<article class=\"chapter\">\n<div class=\"chapter-header\">\n");
        html.Append($"<span class=\"chapter-part\">{Escape(part.Title)}</span>\n");
        // A named download attribute and the notebook's type, so the browser saves the file instead of showing JSON.
        var fileName = Escape(Path.GetFileName(chapter.File));
        var label = withOutputs ? "Download the notebook (with outputs)" : "Download the notebook";
        html.Append($"<a class=\"download-link\" href=\"{page.LinkTo(chapter.File)}\" download=\"{fileName}\" type=\"application/x-ipynb+json\">{label}</a>\n</div>\n");
        if (!content.HasTitleHeading)
        {
            html.Append($"<h1>{Escape(chapter.Title)}</h1>\n");
        }

        html.Append(content.Html).Append("</article>\n");
        html.Append("<nav class=\"pager\" aria-label=\"Previous and next chapters\">\n");
        html.Append(previous is null ? "<span></span>\n" : PagerLink(page, previous, "prev", "Previous"));
        html.Append(next is null ? "<span></span>\n" : PagerLink(page, next, "next", "Next"));
        return html.Append("</nav>").ToString();
    }

    public static string NotFound() => """
        <article class="not-found">
        <h1>Page not found</h1>
        <p>There is no page at this address. It may have moved when the chapters were reordered.</p>
        <p>Try the search box above, or go to the <a href="index.html">table of contents</a>.</p>
        </article>
        """;

    private static string PagerLink(SitePage page, BookChapter chapter, string rel, string label) =>
        $"<a class=\"pager-{rel}\" rel=\"{rel}\" href=\"{page.LinkTo(SitePage.ForChapter(chapter.File).Path)}\"><span class=\"pager-label\">{label}</span><span class=\"pager-title\">{Escape(chapter.Title)}</span></a>\n";

    private static string Escape(string text) => WebUtility.HtmlEncode(text);
}
