namespace Book.Engine.Running;

/// <summary>Where a run writes a notebook's executed copy and how it names the notebook in its log.</summary>
public static class NotebookPaths
{
    /// <summary>The copy keeps the notebook's path below the book's root; a notebook outside it keeps its file name.</summary>
    public static string OutputPath(string notebook, string repositoryRoot, string outputRoot)
    {
        string full = Path.GetFullPath(notebook);
        string relative = Path.GetRelativePath(repositoryRoot, full);
        if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative)) relative = Path.GetFileName(full);
        return Path.Combine(outputRoot, relative);
    }

    /// <summary>The path relative to the book's root, or as given for a notebook outside it.</summary>
    public static string DisplayName(string notebook, string repositoryRoot)
    {
        string relative = Path.GetRelativePath(repositoryRoot, Path.GetFullPath(notebook));
        return relative.StartsWith("..", StringComparison.Ordinal) ? notebook : relative;
    }
}
