using System.Text.RegularExpressions;

namespace Book.Site;

/// <summary>
/// Keeps the README's "## Layout" table true to the tree: every path it names exists, and every project under
/// <c>lib/</c> and every folder of the library has a row. The table went stale once (half the library's folders were
/// missing); a check in <c>book check</c> makes the next stale row a build failure with the row to add.
/// </summary>
public static partial class ReadmeLayout
{
    public const string FileName = "README.md";
    public const string Heading = "## Layout";
    public const string LibraryFolder = "lib/TransformersBook";

    /// <summary>Problems with the README's layout table; none when the book has no README (a fixture or a new book).</summary>
    public static IReadOnlyList<BookProblem> Check(string root)
    {
        var readme = Path.Combine(root, FileName);
        if (!File.Exists(readme))
        {
            return [];
        }

        var problems = new List<BookProblem>();
        var rows = TablePaths(File.ReadAllLines(readme));
        if (rows is null)
        {
            problems.Add(new BookProblem(FileName, null, $"no '{Heading}' section with a table of paths; the layout of the repository belongs there."));
            return problems;
        }

        foreach (var path in rows.Where(path => !path.Contains('<')))
        {
            var full = Path.Combine(root, path.TrimEnd('/'));
            if (!File.Exists(full) && !Directory.Exists(full))
            {
                problems.Add(new BookProblem(FileName, null, $"the layout table names `{path}`, which does not exist; remove or correct its row."));
            }
        }

        var listed = new HashSet<string>(rows.Select(path => path.TrimEnd('/')), StringComparer.Ordinal);
        foreach (var folder in ExpectedFolders(root).Where(folder => !listed.Contains(folder)))
        {
            problems.Add(new BookProblem(FileName, null, $"`{folder}` has no row in the layout table; add one saying what it holds."));
        }

        return problems;
    }

    /// <summary>The backticked paths in the first column of the table under the heading, or null without one.</summary>
    public static List<string>? TablePaths(IReadOnlyList<string> lines)
    {
        int start = -1;
        for (int i = 0; i < lines.Count; i++)
        {
            if (lines[i].TrimEnd() == Heading)
            {
                start = i + 1;
                break;
            }
        }

        if (start < 0)
        {
            return null;
        }

        var paths = new List<string>();
        bool inTable = false;
        for (int i = start; i < lines.Count && !lines[i].StartsWith("## ", StringComparison.Ordinal); i++)
        {
            var line = lines[i].Trim();
            if (!line.StartsWith('|'))
            {
                if (inTable)
                {
                    break;
                }

                continue;
            }

            inTable = true;
            var firstColumn = line.Split('|', StringSplitOptions.None)[1];
            paths.AddRange(BacktickedPath().Matches(firstColumn).Select(m => m.Groups[1].Value));
        }

        return inTable ? paths : null;
    }

    /// <summary>Each project folder under lib/ and each folder of the library (build output excluded), '/'-separated.</summary>
    public static IEnumerable<string> ExpectedFolders(string root)
    {
        var lib = Path.Combine(root, "lib");
        if (!Directory.Exists(lib))
        {
            yield break;
        }

        foreach (var project in Directory.EnumerateDirectories(lib).Order(StringComparer.Ordinal))
        {
            if (Directory.EnumerateFiles(project, "*.csproj").Any())
            {
                yield return "lib/" + Path.GetFileName(project);
            }
        }

        var library = Path.Combine(root, LibraryFolder);
        if (!Directory.Exists(library))
        {
            yield break;
        }

        foreach (var folder in Directory.EnumerateDirectories(library).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(folder);
            if (name is not ("bin" or "obj") && !name.StartsWith('.') && Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories).Any())
            {
                yield return LibraryFolder + "/" + name;
            }
        }
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex BacktickedPath();
}
