using System.Text.Json;
using System.Text.Json.Nodes;
using Book.Native;

namespace Book.Engine.Running;

/// <summary>
/// Collects the claims a chapter checks while it runs: the book's library appends each to the file
/// <see cref="BookEnvironment.ClaimsFile"/> names; afterwards they go into the executed notebook's metadata
/// (<c>metadata.book.claims</c>), where the results ledger reads them.
/// </summary>
public sealed class ClaimsCapture : IDisposable
{
    public ClaimsCapture() => File.WriteAllText(FilePath, "");

    /// <summary>The file the library appends to; set it as the variable of the process that runs the cells.</summary>
    public string FilePath { get; } = Path.Combine(Path.GetTempPath(), $"book-claims-{Guid.NewGuid():N}.jsonl");

    /// <summary>The claims checked so far, in order (a line that is not JSON, e.g. cut off by a crash, is skipped).</summary>
    public JsonArray Read() => Read(FilePath);

    /// <summary>The claims in a capture file another process wrote (its run-one child, which may have died).</summary>
    public static JsonArray Read(string path)
    {
        var claims = new JsonArray();
        if (!File.Exists(path)) return claims;
        foreach (var line in File.ReadAllLines(path).Where(l => l.Length > 0))
        {
            try { claims.Add(JsonNode.Parse(line)); }
            catch (JsonException) { }
        }
        return claims;
    }

    public void Dispose() => Delete(FilePath);

    /// <summary>True for the name of a capture file, so a path another process reports is deleted only when it is one.</summary>
    public static bool IsCaptureFile(string path) =>
        Path.GetFileName(path).StartsWith("book-claims-", StringComparison.Ordinal) && path.EndsWith(".jsonl", StringComparison.Ordinal);

    public static void Delete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
