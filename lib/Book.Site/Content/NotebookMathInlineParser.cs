using Markdig;
using Markdig.Extensions.Mathematics;
using Markdig.Helpers;
using Markdig.Parsers;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;

namespace Book.Site;

/// <summary>
/// Inline math as Jupyter (and Pandoc) reads it, in place of Markdig's stricter rules. Markdig ends $…$ at a line
/// break and wants whitespace or punctuation on both sides, so "$a +\nb$" or "the $i$th row" stayed markdown and the
/// TeX's ^ and _ became superscripts and emphasis. Here a span may cross the lines of its paragraph, an opening $
/// must be followed by a non-space and a closing $ must not be followed by a digit (so "$5 and $10" is not math), a
/// backslash escapes the next character, and $$…$$ closes at the next $$. Everything inside is TeX, never markdown.
/// </summary>
internal sealed class NotebookMathInlineParser : InlineParser
{
    public NotebookMathInlineParser()
    {
        OpeningCharacters = ['$'];
    }

    public override bool Match(InlineProcessor processor, ref StringSlice slice)
    {
        // The second $ of a $$ that did not close is text, like the first.
        if (slice.PeekCharExtra(-1) == '$')
        {
            return false;
        }

        var text = slice.Text;
        var open = slice.Start;
        var dollars = slice.PeekChar(1) == '$' ? 2 : 1;
        var contentStart = open + dollars;
        if (!TryFindClose(text, contentStart, slice.End, dollars, out var close))
        {
            return false;
        }

        // TeX reads a line break as a space; one line keeps the element compact and its text searchable.
        var tex = text[contentStart..close].Replace("\r\n", " ").Replace('\n', ' ').Replace('\r', ' ').Trim();
        var end = close + dollars - 1;
        var math = new MathInline
        {
            Span = new SourceSpan(processor.GetSourcePosition(open, out var line, out var column), processor.GetSourcePosition(end)),
            Line = line,
            Column = column,
            Delimiter = '$',
            DelimiterCount = dollars,
            Content = new StringSlice(tex),
        };
        math.GetAttributes().AddClass("math");
        processor.Inline = math;
        slice.Start = end + 1;
        return true;
    }

    /// <summary>Finds where the closing delimiter starts, between <paramref name="from"/> and <paramref name="last"/> (inclusive).</summary>
    internal static bool TryFindClose(string text, int from, int last, int dollars, out int close)
    {
        close = -1;
        if (from > last || (dollars == 1 && char.IsWhiteSpace(text[from])))
        {
            return false;
        }

        for (var i = from; i <= last; i++)
        {
            var c = text[i];
            if (c == '\\')
            {
                i++;
                continue;
            }

            if (c != '$')
            {
                continue;
            }

            if (dollars == 2)
            {
                if (i + 1 <= last && text[i + 1] == '$' && i > from)
                {
                    close = i;
                    return true;
                }

                // A lone $ inside $$…$$ is TeX's business.
                continue;
            }

            // "$$" inside a $…$ span cannot close it: it would leave a stray $.
            if (i + 1 <= last && text[i + 1] == '$')
            {
                return false;
            }

            // Jupyter also takes "$K = V = $ memory" as math, so a space before the closing $ is allowed.
            if (i > from && !(i + 1 <= last && char.IsAsciiDigit(text[i + 1])))
            {
                close = i;
                return true;
            }
        }

        return false;
    }
}

/// <summary>Markdig's math extension with <see cref="NotebookMathInlineParser"/> reading inline math.</summary>
internal sealed class NotebookMathExtension : IMarkdownExtension
{
    public void Setup(MarkdownPipelineBuilder pipeline)
    {
        new MathExtension().Setup(pipeline);
        pipeline.InlineParsers.Replace<MathInlineParser>(new NotebookMathInlineParser());
    }

    public void Setup(MarkdownPipeline pipeline, IMarkdownRenderer renderer) => new MathExtension().Setup(pipeline, renderer);
}
