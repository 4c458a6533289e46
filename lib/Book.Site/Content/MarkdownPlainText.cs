using System.Text;
using Markdig.Extensions.Mathematics;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Book.Site;

/// <summary>The readable text of a markdown block, without markup (math included): what search matches and what heading entries show.</summary>
internal static class MarkdownPlainText
{
    public static string Of(Block block)
    {
        var text = new StringBuilder();
        Append(block, text);
        return string.Join(' ', text.ToString().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    private static void Append(Block block, StringBuilder text)
    {
        switch (block)
        {
            case ContainerBlock container:
                foreach (var child in container)
                {
                    Append(child, text);
                }

                break;
            case LeafBlock { Inline: { } inline }:
                Append(inline, text);
                text.Append(' ');
                break;
            case LeafBlock leaf:
                // Code and math blocks have lines but no inlines; HTML blocks are markup, not prose.
                if (leaf is MathBlock)
                {
                    text.Append(TexPlainText.Of(leaf.Lines.ToString())).Append(' ');
                }
                else if (leaf is not HtmlBlock)
                {
                    text.Append(leaf.Lines.ToString()).Append(' ');
                }

                break;
        }
    }

    private static void Append(Inline inline, StringBuilder text)
    {
        switch (inline)
        {
            case LiteralInline literal:
                text.Append(literal.Content.ToString());
                break;
            case CodeInline code:
                text.Append(code.Content);
                break;
            case MathInline math:
                // Search snippets and heading entries are plain text; KaTeX does not run there.
                text.Append(TexPlainText.Of(math.Content.ToString()));
                break;
            case LineBreakInline:
                text.Append(' ');
                break;
            case ContainerInline container:
                foreach (var child in container)
                {
                    Append(child, text);
                }

                break;
        }
    }
}
