namespace Book.Site;

/// <summary>One thing wrong with the book: the file (relative to the book root), the 1-based cell when known, and what is wrong.</summary>
public sealed record BookProblem(string File, int? Cell, string Message)
{
    public override string ToString() => Cell is int cell ? $"{File}, cell {cell}: {Message}" : $"{File}: {Message}";
}
