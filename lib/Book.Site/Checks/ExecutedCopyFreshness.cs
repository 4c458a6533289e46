using System.Text.Json.Nodes;
using Book.Engine.Notebooks;

namespace Book.Site;

/// <summary>
/// Whether an executed copy is the result of the chapter's current source: the runner records the source's hash and
/// the run's status in <c>metadata.book</c>, and a copy from another source, or one a later run marked stale, must not
/// be published as if it were current. A copy without that record (made by other tools) is taken as it is.
/// </summary>
public static class ExecutedCopyFreshness
{
    /// <summary>Null when the copy may be rendered, else why not.</summary>
    public static string? WhyNotCurrent(JsonObject executedRoot, string sourcePath)
    {
        if (executedRoot["metadata"]?["book"] is not JsonObject run) return null;
        if (JsonText.StringOf(run["status"]) == "stale")
            return $"is marked stale ({JsonText.StringOf(run["stale_reason"]) ?? "a later run did not finish"})";
        if (JsonText.StringOf(run["source_sha256"]) is { } recorded && recorded != ResultsLedger.SourceHash(sourcePath))
            return "was made from an older version of the chapter's source";
        return null;
    }
}
