namespace Book.Native;

/// <summary>Finds the book's root: the nearest folder, from a starting folder upwards, that holds book.yml.</summary>
public static class BookRoot
{
    /// <summary>The table of contents, which marks the root.</summary>
    public const string TocFileName = "book.yml";

    public static string? FindFrom(string directory)
    {
        for (var current = new DirectoryInfo(Path.GetFullPath(directory)); current is not null; current = current.Parent)
        {
            if (File.Exists(Path.Combine(current.FullName, TocFileName)))
            {
                return current.FullName;
            }
        }

        return null;
    }
}
