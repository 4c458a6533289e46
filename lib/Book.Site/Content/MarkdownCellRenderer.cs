using Markdig;
using Markdig.Extensions.AutoIdentifiers;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Book.Site;

/// <summary>A run of a markdown cell's text, starting at a heading (or continuing the section before the cell when Heading is null).</summary>
internal sealed record MarkdownSection(PageHeading? Heading, string Text);

/// <summary>One markdown cell as HTML, with its sections (for contents and search) and the local images it shows.</summary>
internal sealed record RenderedMarkdown(string Html, IReadOnlyList<MarkdownSection> Sections, IReadOnlyList<string> LocalImages);

/// <summary>
/// Renders markdown cells with Markdig. Math stays as TeX inside .math elements (KaTeX typesets it in the browser),
/// headings get page-unique ids, and links to other chapters' .ipynb files point at their rendered pages.
/// </summary>
internal sealed partial class MarkdownCellRenderer
{
    // Listed one by one rather than UseAdvancedExtensions: media links would embed players from other hosts.
    private readonly MarkdownPipeline _pipeline = new MarkdownPipelineBuilder()
        .UseAlertBlocks()
        .UseAutoIdentifiers(AutoIdentifierOptions.GitHub)
        .UseAutoLinks()
        .UseDefinitionLists()
        .UseEmphasisExtras()
        .UseFigures()
        .UseFootnotes()
        .UseGridTables()
        .UseListExtras()
        // Markdig's math blocks and HTML, with inline math read as Jupyter reads it (across line breaks too).
        .Use<NotebookMathExtension>()
        .UsePipeTables()
        .UseTaskLists()
        // No generic attributes: their {...} syntax would eat the braces of LaTeX in paragraphs.
        .Build();

    public RenderedMarkdown Render(string markdown, AnchorIds anchors)
    {
        var document = Markdown.Parse(JoinMultilineDisplayMath(markdown), _pipeline);
        var localImages = RewriteLinks(document);
        MarkDisplayMath(document);

        var sections = new List<MarkdownSection>();
        PageHeading? heading = null;
        var text = new List<string>();
        foreach (var block in document)
        {
            if (block is HeadingBlock headingBlock)
            {
                if (heading is not null || text.Count > 0)
                {
                    sections.Add(new MarkdownSection(heading, string.Join(' ', text)));
                }

                var attributes = headingBlock.GetAttributes();
                attributes.Id = anchors.Claim(attributes.Id ?? "");
                heading = new PageHeading(headingBlock.Level, attributes.Id, MarkdownPlainText.Of(headingBlock));
                text.Clear();
            }
            else
            {
                text.Add(MarkdownPlainText.Of(block));
            }
        }

        if (heading is not null || text.Count > 0)
        {
            sections.Add(new MarkdownSection(heading, string.Join(' ', text)));
        }

        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        _pipeline.Setup(renderer);
        renderer.Render(document);
        return new RenderedMarkdown(writer.ToString(), sections, localImages);
    }

    /// <summary>
    /// Jupyter accepts $$…$$ anywhere; Markdig needs help with two forms. A $$ fence on its own lines that touches the
    /// paragraph around it gets blank lines, so Markdig reads a math block; $$…$$ running over several lines inside a
    /// sentence gets its line breaks made spaces (TeX treats both alike), so Markdig reads inline math.
    /// </summary>
    internal static string JoinMultilineDisplayMath(string markdown) =>
        MultilineDisplayMath().Replace(markdown, m =>
        {
            if (!m.Value.Contains('\n')) return m.Value;
            int start = m.Index, end = m.Index + m.Length;
            bool fencedBlock = (start == 0 || markdown[start - 1] == '\n')
                && m.Value[2..].TrimStart(' ').StartsWith('\n')
                && (end == markdown.Length || markdown[end] is '\n' or '\r')
                && m.Value[..^2].TrimEnd(' ').EndsWith('\n');
            return fencedBlock ? $"\n\n{m.Value}\n\n" : m.Value.Replace("\r\n", " ").Replace('\n', ' ');
        });

    [System.Text.RegularExpressions.GeneratedRegex(@"\$\$.+?\$\$", System.Text.RegularExpressions.RegexOptions.Singleline)]
    private static partial System.Text.RegularExpressions.Regex MultilineDisplayMath();

    /// <summary>
    /// Jupyter shows $$…$$ as display math even inside a paragraph, where Markdig parses it as inline math; the class
    /// tells the page's KaTeX call to typeset it in display mode.
    /// </summary>
    private static void MarkDisplayMath(MarkdownDocument document)
    {
        foreach (var math in document.Descendants<Markdig.Extensions.Mathematics.MathInline>())
        {
            if (math.DelimiterCount >= 2) math.GetAttributes().AddClass("math-display");
        }
    }

    /// <summary>Renders markdown produced by a cell's output (text/markdown); its headings are not page sections.</summary>
    public string RenderOutput(string markdown)
    {
        var document = Markdown.Parse(markdown, _pipeline);
        foreach (var heading in document.Descendants<HeadingBlock>())
        {
            heading.GetAttributes().Id = null;
        }

        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        _pipeline.Setup(renderer);
        renderer.Render(document);
        return writer.ToString();
    }

    /// <summary>Points relative .ipynb links at the rendered .html page and collects relative image paths to copy.</summary>
    private static List<string> RewriteLinks(MarkdownDocument document)
    {
        var images = new List<string>();
        foreach (var link in document.Descendants<LinkInline>())
        {
            if (link.Url is not { Length: > 0 } url || !IsRelative(url))
            {
                continue;
            }

            if (link.IsImage)
            {
                images.Add(StripQueryAndFragment(url));
                continue;
            }

            var path = StripQueryAndFragment(url);
            if (path.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase))
            {
                link.Url = path[..^".ipynb".Length] + ".html" + url[path.Length..];
            }
        }

        return images;
    }

    private static bool IsRelative(string url) =>
        !url.StartsWith('#') && !url.StartsWith('/') && !url.Contains(':', StringComparison.Ordinal);

    private static string StripQueryAndFragment(string url) => url.Split('#', '?')[0];
}
