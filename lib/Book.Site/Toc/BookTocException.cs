namespace Book.Site;

/// <summary>book.yml could not be read or is incomplete; the message names the file and every problem.</summary>
public sealed class BookTocException(string path, string problem)
    : Exception($"{path}: {problem}")
{
    public string FilePath { get; } = path;

    public string Problem { get; } = problem;
}
