using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Book.Engine.Running;

/// <summary>
/// What an executed copy says about its run, in <c>metadata.book</c>: status, time, profile, engine, the machine,
/// the claims checked and the hash of the source it ran, so the results ledger can tell a current copy from a stale one.
/// </summary>
public static class RunRecord
{
    public static JsonObject Create(string sourcePath, NotebookStatus status, TimeSpan elapsed, string profile, string engine, JsonArray claims) => new()
    {
        ["status"] = status.ToString().ToLowerInvariant(),
        ["seconds"] = Math.Round(elapsed.TotalSeconds, 2),
        ["profile"] = profile,
        ["engine"] = engine,
        ["finished"] = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
        ["machine"] = Machine(),
        ["source_sha256"] = SourceHash(sourcePath),
        ["claims"] = claims,
    };

    public const string StaleStatus = "stale";

    /// <summary>
    /// Marks an existing executed copy as no longer the result of its source (a new run started, crashed or timed out),
    /// so nothing takes an old "passed" for a current one. Written atomically; a missing or unreadable copy is left alone.
    /// </summary>
    public static void MarkStale(string executedPath, string reason)
    {
        if (!File.Exists(executedPath)) return;
        JsonNode? root;
        try { root = JsonNode.Parse(File.ReadAllText(executedPath)); }
        catch (System.Text.Json.JsonException) { return; }
        if (root?["metadata"]?["book"] is not JsonObject book) return;
        book["status"] = StaleStatus;
        book["stale_reason"] = reason;
        book.Remove("cache_key");
        AtomicFile.WriteAllText(executedPath, Notebooks.NotebookDocument.Format(root));
    }

    /// <summary>The SHA-256 of the notebook file, in lower-case hex.</summary>
    public static string SourceHash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path))).ToLowerInvariant();

    /// <summary>"AMD EPYC 7B13, 2 logical cores, Linux x64": enough to compare timings between runs.</summary>
    public static string Machine()
    {
        string cpu = "unknown CPU";
        try
        {
            if (File.Exists("/proc/cpuinfo"))
                cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
        }
        catch (IOException) { }
        return $"{cpu}, {Environment.ProcessorCount} logical cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription.Split(' ')[0]} {System.Runtime.InteropServices.RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant()}";
    }
}
