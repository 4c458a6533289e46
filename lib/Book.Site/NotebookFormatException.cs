namespace Book.Site;

/// <summary>A .ipynb file is not a readable nbformat 4 notebook; the message names the file.</summary>
public sealed class NotebookFormatException(string path, string problem)
    : Exception($"{path}: {problem}")
{
    public string FilePath { get; } = path;

    public string Problem { get; } = problem;
}
