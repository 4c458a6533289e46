using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Book.Engine.Notebooks;
using Book.Native;

namespace Book.Site;

/// <summary>
/// Checks that book.yml and chapters/ agree and that every chapter notebook is clean:
/// nbformat 4, no committed outputs, the book's kernelspec, and the same pinned setup cell everywhere.
/// </summary>
public static partial class BookCheck
{
    public const string ChaptersFolder = "chapters";
    public const string KernelName = KernelNames.Book;
    public const string KernelDisplayName = KernelNames.BookDisplayName;
    public const string KernelLanguage = "C#";
    public const string PolyglotKernelName = KernelNames.Polyglot;

    /// <summary>Runs every check; an empty list means the book is in order.</summary>
    public static IReadOnlyList<BookProblem> Run(string bookYmlPath)
    {
        var bookPath = Path.GetFullPath(bookYmlPath);
        var root = Path.GetDirectoryName(bookPath)!;
        var problems = new List<BookProblem>();

        BookToc? toc = null;
        try
        {
            toc = BookToc.Load(bookPath);
        }
        catch (BookTocException e)
        {
            problems.Add(new BookProblem(BookToc.FileName, null, e.Problem));
        }

        var onDisk = FindNotebooks(root);
        var listed = toc is null ? [] : CheckEntries(root, toc, onDisk, problems);

        // Book order first, so that the first chapter's setup cell is the reference; unlisted notebooks after.
        var notebooks = new List<NotebookDocument>();
        foreach (var file in listed.Concat(onDisk.Except(listed, StringComparer.Ordinal).Order(StringComparer.Ordinal)))
        {
            try
            {
                var notebook = NotebookDocument.Load(Path.Combine(root, file));
                CheckHygiene(file, notebook, problems);
                notebooks.Add(notebook);
            }
            catch (NotebookFormatException e)
            {
                problems.Add(new BookProblem(file, null, e.Problem));
            }
        }

        CheckSetupCells(root, notebooks, problems);
        problems.AddRange(ReadmeLayout.Check(root));
        return problems;
    }

    /// <summary>Every .ipynb under chapters/, relative to the root with '/' separators; Jupyter's checkpoints are not chapters.</summary>
    private static List<string> FindNotebooks(string root)
    {
        var chapters = Path.Combine(root, ChaptersFolder);
        if (!Directory.Exists(chapters))
        {
            return [];
        }

        return Directory.EnumerateFiles(chapters, "*.ipynb", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(root, path).Replace('\\', '/'))
            .Where(path => !path.Split('/').Contains(".ipynb_checkpoints"))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Checks book.yml's entries against the disk; returns the entries that exist, once each, in book order.</summary>
    private static List<string> CheckEntries(string root, BookToc toc, List<string> onDisk, List<BookProblem> problems)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var existing = new List<string>();
        foreach (var (part, chapter) in toc.Chapters)
        {
            var file = chapter.File;
            var where = $"chapter '{chapter.Title}' in part '{part.Title}'";
            if (!seen.Add(file))
            {
                problems.Add(new BookProblem(BookToc.FileName, null, $"{file} is listed more than once ({where} repeats it)."));
                continue;
            }

            if (!file.StartsWith(ChaptersFolder + "/", StringComparison.Ordinal) || !file.EndsWith(".ipynb", StringComparison.Ordinal))
            {
                problems.Add(new BookProblem(BookToc.FileName, null, $"{where}: '{file}' is not a .ipynb under {ChaptersFolder}/."));
            }

            if (!File.Exists(Path.Combine(root, file)))
            {
                problems.Add(new BookProblem(BookToc.FileName, null, $"{where}: {file} does not exist."));
                continue;
            }

            existing.Add(file);
        }

        foreach (var file in onDisk.Where(file => !seen.Contains(file)))
        {
            problems.Add(new BookProblem(file, null, $"this notebook is not listed in {BookToc.FileName}; add it to a part or delete it."));
        }

        return existing;
    }

    private static void CheckHygiene(string file, NotebookDocument notebook, List<BookProblem> problems)
    {
        // nbformat 4 is checked when the notebook is read (NotebookDocument.Load refuses anything else).
        var metadata = notebook.Root["metadata"] as JsonObject;
        ExpectString(metadata, ["kernelspec", "name"], KernelName);
        ExpectString(metadata, ["kernelspec", "display_name"], KernelDisplayName);
        ExpectString(metadata, ["kernelspec", "language"], KernelLanguage);
        ExpectString(metadata, ["language_info", "name"], KernelLanguage);
        ExpectString(metadata, ["polyglot_notebook", "kernelInfo", "defaultKernelName"], PolyglotKernelName);

        CheckClaims(file, notebook, problems);

        foreach (var cell in notebook.Cells.Where(cell => cell.CellType == "code"))
        {
            if (cell.Json["outputs"] is JsonArray { Count: > 0 } outputs)
            {
                problems.Add(new BookProblem(file, cell.Number, $"{outputs.Count} output(s) committed; sources carry no outputs (clear them before committing)."));
            }

            if (cell.Json["execution_count"] is JsonNode count)
            {
                problems.Add(new BookProblem(file, cell.Number, $"execution_count is {count.ToJsonString()}; it must be null in committed sources."));
            }
        }

        void ExpectString(JsonObject? node, string[] keys, string expected)
        {
            JsonNode? value = node;
            foreach (var key in keys)
            {
                value = (value as JsonObject)?[key];
            }

            var actual = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
            if (actual != expected)
            {
                var found = actual is null ? "missing" : $"\"{actual}\"";
                problems.Add(new BookProblem(file, null, $"metadata.{string.Join('.', keys)} is {found}; expected \"{expected}\"."));
            }
        }
    }

    /// <summary>
    /// The first code cell pins packages and loads the book's library; it must be byte-for-byte the same in every
    /// chapter (the first chapter's is the reference), and its NuGet versions must match Directory.Packages.props.
    /// </summary>
    private static void CheckSetupCells(string root, List<NotebookDocument> notebooks, List<BookProblem> problems)
    {
        NotebookCell? reference = null;
        string? referenceFile = null;
        foreach (var notebook in notebooks)
        {
            var file = Path.GetRelativePath(root, notebook.Path).Replace('\\', '/');
            var setup = notebook.Cells.FirstOrDefault(cell => cell.CellType == "code");
            if (setup is null)
            {
                problems.Add(new BookProblem(file, null, "there is no code cell; every chapter starts with the pinned setup cell."));
                continue;
            }

            if (reference is null)
            {
                reference = setup;
                referenceFile = file;
                CheckPinnedVersions(root, file, setup, problems);
                continue;
            }

            var expected = SplitLines(reference.Source);
            var actual = SplitLines(setup.Source);
            var line = Enumerable.Range(0, Math.Max(expected.Length, actual.Length))
                .FirstOrDefault(i => i >= expected.Length || i >= actual.Length || expected[i] != actual[i], -1);
            if (line >= 0)
            {
                var shown = line < actual.Length ? $"\"{actual[line]}\"" : "(missing)";
                var wanted = line < expected.Length ? $"\"{expected[line]}\"" : "(nothing)";
                problems.Add(new BookProblem(file, setup.Number,
                    $"the setup cell differs from the one in {referenceFile} at line {line + 1}: {shown}, expected {wanted}."));
            }
        }
    }

    private static void CheckPinnedVersions(string root, string file, NotebookCell setup, List<BookProblem> problems)
    {
        var propsPath = Path.Combine(root, "Directory.Packages.props");
        if (!File.Exists(propsPath))
        {
            return;
        }

        var pinned = XDocument.Load(propsPath).Descendants("PackageVersion")
            .Where(element => element.Attribute("Include") is not null)
            .ToDictionary(element => element.Attribute("Include")!.Value, element => element.Attribute("Version")?.Value, StringComparer.OrdinalIgnoreCase);

        foreach (Match match in NuGetReference().Matches(setup.Source))
        {
            var package = match.Groups["package"].Value.Trim();
            var version = match.Groups["version"].Success ? match.Groups["version"].Value.Trim() : null;
            if (version is null)
            {
                problems.Add(new BookProblem(file, setup.Number, $"#r \"nuget: {package}\" has no version; pin the one in Directory.Packages.props."));
            }
            else if (!pinned.TryGetValue(package, out var expected))
            {
                problems.Add(new BookProblem(file, setup.Number, $"{package} is referenced but Directory.Packages.props does not pin it."));
            }
            else if (!string.Equals(version, expected, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add(new BookProblem(file, setup.Number, $"{package} is pinned to {version} here but to {expected} in Directory.Packages.props."));
            }
        }
    }

    /// <summary>
    /// A claim's smoke threshold must state the claim, not its opposite: an AtLeast/GreaterThan bound below zero lets
    /// "A beats B" pass when B wins (a profile too small for a claim says Claim.NotChecked instead). And prose may not
    /// report results as anecdotes ("in our runs"): a result in the text is asserted by a claim or computed into it.
    /// </summary>
    private static void CheckClaims(string file, NotebookDocument notebook, List<BookProblem> problems)
    {
        foreach (var cell in notebook.Cells)
        {
            if (cell.CellType == "code")
            {
                foreach (Match match in NegativeLowerBound().Matches(cell.Source))
                {
                    problems.Add(new BookProblem(file, cell.Number,
                        $"{match.Groups["call"].Value} accepts a negative value in smoke ({match.Groups["bound"].Value}), so the claim passes when it is false; " +
                        "size the smoke run so the claim holds with a bound of 0 or more, or pass Claim.NotChecked for smoke."));
                }
            }
            else if (cell.CellType == "markdown" && InOurRuns().Match(cell.Source) is { Success: true } anecdote)
            {
                problems.Add(new BookProblem(file, cell.Number,
                    $"the text says \"{anecdote.Value}\": state the result through a claim or compute it into the sentence."));
            }
        }
    }

    // Claim.AtLeast(...) / Is.AtLeast(...) / Is.GreaterThan(...) / Claim.Beats(...) with "smoke: -number" among its arguments.
    [GeneratedRegex(@"(?<call>(?:Claim|Is)\.(?:AtLeast|GreaterThan|Beats))\((?:[^()]|\([^()]*\))*?smoke:\s*(?<bound>-\s*[0-9.]+)")]
    private static partial Regex NegativeLowerBound();

    [GeneratedRegex(@"\b[Ii]n our (?:own )?runs\b")]
    private static partial Regex InOurRuns();

    private static string[] SplitLines(string text) => text.ReplaceLineEndings("\n").Split('\n');

    [GeneratedRegex("""^\s*#r\s+"nuget:\s*(?<package>[^,"]+)(?:,\s*(?<version>[^"]+))?"\s*$""", RegexOptions.Multiline)]
    private static partial Regex NuGetReference();
}
