namespace Book.Native;

/// <summary>The book's per-user cache folder (data, patched native libraries, restored packages' resolutions).</summary>
public static class BookCache
{
    /// <summary>BOOK_CACHE, else $XDG_CACHE_HOME/transformers-book, else ~/.cache/transformers-book.</summary>
    public static string Root
    {
        get
        {
            string? explicitRoot = Environment.GetEnvironmentVariable("BOOK_CACHE");
            if (!string.IsNullOrEmpty(explicitRoot)) return Path.GetFullPath(explicitRoot);
            string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            string baseDir = !string.IsNullOrEmpty(xdg)
                ? xdg
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            return Path.Combine(baseDir, "transformers-book");
        }
    }

    public static string Folder(params string[] parts)
    {
        string dir = Path.Combine(new[] { Root }.Concat(parts).ToArray());
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Writes through a temporary file and a rename, so a reader never sees half a file.</summary>
    public static void WriteAtomically(string path, byte[] content)
    {
        string temp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        File.WriteAllBytes(temp, content);
        File.Move(temp, path, overwrite: true);
    }
}
