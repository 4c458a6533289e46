using System.Net;
using System.Text;
using Book.Engine.Notebooks;

namespace Book.Site;

/// <summary>A searchable stretch of a chapter: the heading it starts at (anchor "" is the top of the page) and its text.</summary>
internal sealed record SearchSection(string Title, string Anchor, string Text);

/// <summary>The body of a chapter page and what the page around it needs to know.</summary>
internal sealed record ChapterContent(
    string Html,
    IReadOnlyList<PageHeading> Headings,
    IReadOnlyList<SearchSection> Sections,
    bool UsesPlotly,
    bool HasTitleHeading,
    IReadOnlyList<string> LocalImages,
    IReadOnlyList<string> Warnings);

/// <summary>Renders a notebook's cells, in order, into the article of a chapter page.</summary>
internal sealed class ChapterContentRenderer(MarkdownCellRenderer markdown, CellOutputRenderer outputs)
{
    public ChapterContent Render(NotebookDocument notebook, string notebookName, string chapterTitle)
    {
        var anchors = new AnchorIds();
        var html = new StringBuilder();
        var headings = new List<PageHeading>();
        var sections = new List<SearchSection>();
        var images = new List<string>();
        var warnings = new List<string>();
        var usesPlotly = false;

        var section = (Title: chapterTitle, Anchor: "", Text: new StringBuilder());
        var firstCode = notebook.Cells.FirstOrDefault(cell => cell.CellType == "code");

        foreach (var cell in notebook.Cells)
        {
            switch (cell.CellType)
            {
                case "markdown":
                    var rendered = markdown.Render(cell.Source, anchors);
                    html.Append(rendered.Html);
                    images.AddRange(rendered.LocalImages);
                    foreach (var part in rendered.Sections)
                    {
                        if (part.Heading is { Level: <= 3 } heading)
                        {
                            CloseSection();
                            section = (heading.Text, heading.Id, new StringBuilder());
                            headings.Add(heading);
                        }
                        else if (part.Heading is { } minor)
                        {
                            headings.Add(minor);
                            section.Text.Append(minor.Text).Append(' ');
                        }

                        section.Text.Append(part.Text).Append(' ');
                    }

                    break;
                case "code" when cell.Source.Trim().Length > 0:
                    var where = $"{notebookName}, cell {cell.Number}";
                    var cellOutputs = outputs.Render(cell.Outputs, where);
                    warnings.AddRange(cellOutputs.Warnings);
                    usesPlotly |= cellOutputs.UsesPlotly;
                    html.Append(RenderCodeCell(cell, anchors.Claim($"cell-{cell.Number}"), cellOutputs.Html, isSetup: cell == firstCode && IsSetupCell(cell.Source)));
                    section.Text.Append(cell.Source).Append(' ');
                    break;
            }
        }

        CloseSection();
        return new ChapterContent(html.ToString(), headings, sections, usesPlotly, headings.Any(h => h.Level == 1), images, warnings);

        void CloseSection()
        {
            var text = string.Join(' ', section.Text.ToString().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            if (section.Anchor.Length > 0 || text.Length > 0)
            {
                sections.Add(new SearchSection(section.Title, section.Anchor, text));
            }
        }
    }

    private static string RenderCodeCell(NotebookCell cell, string id, string outputsHtml, bool isSetup)
    {
        var source = WebUtility.HtmlEncode(cell.Source.TrimEnd('\n', '\r'));
        var input = $"""
            <div class="cell-input">
            <button type="button" class="copy-button" aria-label="Copy this code">Copy</button>
            <pre><code class="language-csharp">{source}</code></pre>
            </div>
            """;
        var outputsBlock = outputsHtml.Length > 0 ? $"<div class=\"cell-outputs\">\n{outputsHtml}</div>\n" : "";

        // The setup cell is the same in every chapter; folded away, it stays available without interrupting the text.
        return isSetup
            ? $"<details class=\"cell cell-code cell-setup\" id=\"{id}\">\n<summary>Setup: packages and the book's library</summary>\n{input}\n{outputsBlock}</details>\n"
            : $"<div class=\"cell cell-code\" id=\"{id}\">\n{input}\n{outputsBlock}</div>\n";
    }

    /// <summary>Only directives (#r, #i, #load), comments and blank lines: the pinned setup cell, not part of the lesson.</summary>
    private static bool IsSetupCell(string source) =>
        source.ReplaceLineEndings("\n").Split('\n').Select(line => line.Trim())
            .All(line => line.Length == 0 || line.StartsWith("#r ", StringComparison.Ordinal) || line.StartsWith("#i ", StringComparison.Ordinal)
                || line.StartsWith("#load ", StringComparison.Ordinal) || line.StartsWith("//", StringComparison.Ordinal));
}
