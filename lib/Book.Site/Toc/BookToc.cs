using Book.Native;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Book.Site;

/// <summary>One chapter as book.yml lists it; File is relative to the folder holding book.yml, with '/' separators.</summary>
public sealed record BookChapter(string Title, string File);

/// <summary>A titled group of chapters, in reading order.</summary>
public sealed record BookPart(string Title, IReadOnlyList<BookChapter> Chapters);

/// <summary>The book's table of contents, read from book.yml: the single source of chapter order.</summary>
public sealed record BookToc(string Title, string? Subtitle, IReadOnlyList<BookPart> Parts)
{
    public const string FileName = BookRoot.TocFileName;

    /// <summary>Every chapter in reading order, with the part it belongs to.</summary>
    public IEnumerable<(BookPart Part, BookChapter Chapter)> Chapters =>
        Parts.SelectMany(part => part.Chapters.Select(chapter => (part, chapter)));

    /// <summary>Reads and validates book.yml; every problem found is listed in one <see cref="BookTocException"/>.</summary>
    public static BookToc Load(string path)
    {
        if (!System.IO.File.Exists(path))
        {
            throw new BookTocException(path, "the file does not exist.");
        }

        BookYaml? yaml;
        try
        {
            var deserializer = new DeserializerBuilder()
                .WithNamingConvention(CamelCaseNamingConvention.Instance)
                .Build();
            yaml = deserializer.Deserialize<BookYaml?>(System.IO.File.ReadAllText(path));
        }
        catch (YamlException e)
        {
            // YamlDotNet wraps the useful message ("Property 'x' not found") in InnerException.
            var detail = e.InnerException?.Message ?? e.Message;
            throw new BookTocException(path, $"line {e.Start.Line}, column {e.Start.Column}: {detail}");
        }

        return Validate(path, yaml);
    }

    private static BookToc Validate(string path, BookYaml? yaml)
    {
        if (yaml is null)
        {
            throw new BookTocException(path, "the file is empty; it needs 'title' and 'parts'.");
        }

        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(yaml.Title))
        {
            errors.Add("'title' is missing.");
        }

        if (yaml.Parts is not { Count: > 0 })
        {
            errors.Add("'parts' is missing or empty; list at least one part with its chapters.");
        }

        var parts = new List<BookPart>();
        for (var p = 0; p < (yaml.Parts?.Count ?? 0); p++)
        {
            var part = yaml.Parts![p];
            var where = $"parts[{p}]";
            if (part is null)
            {
                errors.Add($"{where} is empty.");
                continue;
            }

            if (string.IsNullOrWhiteSpace(part.Title))
            {
                errors.Add($"{where}: 'title' is missing.");
            }

            if (part.Chapters is not { Count: > 0 })
            {
                errors.Add($"{where} ('{part.Title}'): 'chapters' is missing or empty.");
                continue;
            }

            var chapters = new List<BookChapter>();
            for (var c = 0; c < part.Chapters.Count; c++)
            {
                var chapter = part.Chapters[c];
                var chapterWhere = $"{where}.chapters[{c}]";
                if (chapter is null)
                {
                    errors.Add($"{chapterWhere} is empty.");
                    continue;
                }

                if (string.IsNullOrWhiteSpace(chapter.Title))
                {
                    errors.Add($"{chapterWhere}: 'title' is missing.");
                }

                if (string.IsNullOrWhiteSpace(chapter.File))
                {
                    errors.Add($"{chapterWhere} ('{chapter.Title}'): 'file' is missing.");
                }
                else if (Path.IsPathRooted(chapter.File))
                {
                    errors.Add($"{chapterWhere}: 'file' must be relative to the folder holding book.yml, not '{chapter.File}'.");
                }

                chapters.Add(new BookChapter(chapter.Title?.Trim() ?? "", chapter.File?.Trim().Replace('\\', '/') ?? ""));
            }

            parts.Add(new BookPart(part.Title?.Trim() ?? "", chapters));
        }

        if (errors.Count > 0)
        {
            throw new BookTocException(path, string.Join(Environment.NewLine, errors));
        }

        return new BookToc(yaml.Title!.Trim(), string.IsNullOrWhiteSpace(yaml.Subtitle) ? null : yaml.Subtitle.Trim(), parts);
    }

    // The YAML shapes, nullable so that missing keys become validation messages instead of crashes.
    private sealed class BookYaml
    {
        public string? Title { get; set; }
        public string? Subtitle { get; set; }
        public List<PartYaml?>? Parts { get; set; }
    }

    private sealed class PartYaml
    {
        public string? Title { get; set; }
        public List<ChapterYaml?>? Chapters { get; set; }
    }

    private sealed class ChapterYaml
    {
        public string? Title { get; set; }
        public string? File { get; set; }
    }
}
