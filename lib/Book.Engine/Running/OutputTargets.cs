namespace Book.Engine.Running;

/// <summary>
/// Checks, before anything runs, that every executed copy can be written where it is meant to go: never over a
/// source notebook (<c>--out .</c> next to the sources), never two notebooks onto one copy, and into a folder that
/// can be written. A run that would lose a file or all its work at the end is refused at the start.
/// </summary>
public static class OutputTargets
{
    // Linux tells file names apart by case; Windows and macOS (by default) do not.
    static readonly StringComparer PathComparer = OperatingSystem.IsLinux() ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;

    /// <summary>Every problem found, one message each; empty when the run may start.</summary>
    public static IReadOnlyList<string> Problems(IReadOnlyList<string> notebooks, Func<string, string> outputPathFor)
    {
        var problems = new List<string>();
        var sources = new HashSet<string>(notebooks.Select(n => Path.GetFullPath(n)), PathComparer);
        var writers = new Dictionary<string, string>(PathComparer);
        foreach (var notebook in notebooks.Distinct(PathComparer))
        {
            string output = Path.GetFullPath(outputPathFor(notebook));
            if (sources.Contains(output) || File.Exists(output) && SameFile(output, notebook))
                problems.Add($"{notebook}: its executed copy would overwrite the source notebook {output}; choose another --out folder (the default is build/notebooks).");
            else if (writers.TryGetValue(output, out var other) && !PathComparer.Equals(Path.GetFullPath(other), Path.GetFullPath(notebook)))
                problems.Add($"{notebook} and {other} would both write {output}; run them with different --out folders.");
            writers.TryAdd(output, notebook);
        }
        foreach (var folder in writers.Keys.Select(o => Path.GetDirectoryName(o)!).Distinct(PathComparer))
            if (WhyNotWritable(folder) is { } why) problems.Add($"cannot write executed copies to {folder}: {why}");
        return problems;
    }

    /// <summary>Null when a file can be created in the folder (made if missing), else why not.</summary>
    static string? WhyNotWritable(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
            using var probe = new FileStream(Path.Combine(folder, $".book-write-probe-{Guid.NewGuid():N}"), FileMode.CreateNew,
                FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return e.Message; }
    }

    /// <summary>Whether two paths name one file through a link (the plain path comparison misses that).</summary>
    static bool SameFile(string a, string b)
    {
        static string Resolved(string p) => new FileInfo(p).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(p);
        try { return PathComparer.Equals(Resolved(a), Resolved(b)); }
        catch (IOException) { return false; }
    }
}
