namespace Book.Native;

/// <summary>
/// The log of native loading (<c>logs/native.log</c> in <see cref="BookCache"/>): what the book did to make TorchSharp
/// load on this machine, such as the libstdc++ compatibility copy. It is written here rather than to stderr, where it
/// would show under the setup cell of every chapter (with this machine's paths) although nothing is wrong.
/// </summary>
public static class NativeLog
{
    /// <summary>Past this size the log starts again (the previous one is kept as native.log.1).</summary>
    const long MaxBytes = 1 << 20;

    static readonly object Gate = new();

    /// <summary>The log file; its folder is created on first write.</summary>
    public static string FilePath => Path.Combine(BookCache.Root, "logs", "native.log");

    /// <summary>
    /// Appends a timestamped line. A log that cannot be written (a read-only cache) must not stop a chapter: the line
    /// then goes to stderr, with the reason, as it did before there was a log.
    /// </summary>
    public static void Write(string line)
    {
        string path = FilePath;
        try
        {
            lock (Gate)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                var existing = new FileInfo(path);
                if (existing.Exists && existing.Length > MaxBytes) File.Move(path, path + ".1", overwrite: true);
                File.AppendAllText(path, $"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ} pid {Environment.ProcessId}: {line}{Environment.NewLine}");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"book: {line} (could not write {path}: {e.Message})");
        }
    }
}
