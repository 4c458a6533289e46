namespace Book.Cli;

/// <summary>The book's root: the nearest folder upwards that holds book.yml (else the current folder).</summary>
internal static class RepositoryRoot
{
    public static string Find(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "book.yml"))) return dir.FullName;
        return Path.GetFullPath(start);
    }
}
