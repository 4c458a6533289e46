namespace Book.Site;

/// <summary>Finds the book's root: the nearest folder, from a starting folder upwards, that holds book.yml.</summary>
public static class BookRoot
{
    public static string? FindFrom(string directory)
    {
        for (var current = new DirectoryInfo(Path.GetFullPath(directory)); current is not null; current = current.Parent)
        {
            if (File.Exists(Path.Combine(current.FullName, BookToc.FileName)))
            {
                return current.FullName;
            }
        }

        return null;
    }
}
