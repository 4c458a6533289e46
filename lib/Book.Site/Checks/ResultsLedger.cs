using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Book.Engine.Notebooks;

namespace Book.Site;

/// <summary>
/// The results ledger: for each chapter, the claims of its last default-profile run (measured value, threshold,
/// result), the run's time and machine, and the SHA-256 of the chapter source it ran; beside it, each chapter's
/// smoke time and how many of its claims smoke checks. The data lives in <c>docs/results.json</c>, the page in
/// <c>docs/results.md</c>, both written by <c>book ledger</c> from executed copies, so no number is typed by hand.
/// A chapter whose source no longer matches its entry needs a fresh default run (a test says so).
/// </summary>
public static class ResultsLedger
{
    public const string DataFile = "docs/results.json";
    public const string PageFile = "docs/results.md";

    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The SHA-256 of a chapter's source file, as the ledger records it.</summary>
    public static string SourceHash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path))).ToLowerInvariant();

    /// <summary>The ledger's data (empty when there is none yet).</summary>
    public static JsonObject Load(string root)
    {
        string path = Path.Combine(root, DataFile);
        if (!File.Exists(path)) return new JsonObject { ["chapters"] = new JsonObject() };
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{DataFile} is not valid ledger JSON ({e.Message}); restore it from git or delete it and run `book ledger --all`.", e);
        }
    }

    /// <summary>
    /// Records each chapter's executed copy in the ledger: a default-profile copy replaces the chapter's claims entry,
    /// a smoke copy its smoke record. Returns one line per chapter; a copy that is missing, failed or older than its
    /// source is refused with the command that makes a current one.
    /// </summary>
    public static IReadOnlyList<string> Record(string root, IEnumerable<string> chapterFiles, string executedFolder, out bool allRecorded)
    {
        var toc = BookToc.Load(Path.Combine(root, BookToc.FileName));
        var titles = toc.Chapters.ToDictionary(c => c.Chapter.File, c => c.Chapter.Title, StringComparer.Ordinal);
        var ledger = Load(root);
        var chapters = ledger["chapters"] as JsonObject ?? new JsonObject();
        ledger["chapters"] = chapters;
        var report = new List<string>();
        allRecorded = true;
        foreach (var file in chapterFiles)
        {
            string relative = Path.GetRelativePath(root, Path.GetFullPath(file, root)).Replace('\\', '/');
            string copy = Path.Combine(executedFolder, relative);
            string? problem = null;
            JsonObject? run = null;
            if (!File.Exists(copy)) problem = $"no executed copy at {Path.GetRelativePath(root, copy)}";
            else
            {
                run = NotebookDocument.Load(copy).Root["metadata"]?["book"] as JsonObject;
                if (run is null) problem = "the executed copy has no run record (metadata.book)";
                else if (run["status"]?.GetValue<string>() != "passed") problem = $"its last run did not pass ({run["status"]})";
                else if (run["source_sha256"]?.GetValue<string>() != SourceHash(Path.Combine(root, relative))) problem = "the executed copy is older than the chapter's source";
            }
            if (problem is not null || run is null)
            {
                allRecorded = false;
                report.Add($"not recorded {relative}: {problem}; run `book run {relative} --profile default --force` (or smoke) first.");
                continue;
            }
            string profile = run["profile"]!.GetValue<string>();
            var entry = chapters[relative] as JsonObject ?? new JsonObject();
            chapters[relative] = entry;
            entry["title"] = titles.GetValueOrDefault(relative, Path.GetFileNameWithoutExtension(relative));
            var claims = run["claims"] as JsonArray ?? new JsonArray();
            var summary = new JsonObject
            {
                ["source_sha256"] = run["source_sha256"]!.GetValue<string>(),
                ["seconds"] = run["seconds"]!.DeepClone(),
                ["finished"] = run["finished"]?.DeepClone(),
                ["machine"] = run["machine"]?.DeepClone(),
                ["engine"] = run["engine"]?.DeepClone(),
                ["checked"] = claims.Count(c => c?["status"]?.GetValue<string>() != "not checked"),
                ["not_checked"] = claims.Count(c => c?["status"]?.GetValue<string>() == "not checked"),
            };
            if (profile == "smoke")
            {
                entry["smoke"] = summary;
            }
            else
            {
                summary["profile"] = profile;
                summary["claims"] = claims.DeepClone();
                entry["default"] = summary;
                entry["source_sha256"] = summary["source_sha256"]!.DeepClone();
            }
            report.Add($"recorded {relative} ({profile}, {claims.Count} claims, {run["seconds"]} s)");
        }
        // Chapters in book order, so the page reads like the book.
        var order = toc.Chapters.Select(c => c.Chapter.File).ToList();
        var sorted = new JsonObject();
        foreach (var (name, value) in chapters.OrderBy(p => order.IndexOf(p.Key) is var i && i < 0 ? int.MaxValue : i).ToList())
        {
            chapters.Remove(name);
            sorted[name] = value;
        }
        ledger["chapters"] = sorted;
        Directory.CreateDirectory(Path.Combine(root, "docs"));
        File.WriteAllText(Path.Combine(root, DataFile), ledger.ToJsonString(Indented) + "\n");
        File.WriteAllText(Path.Combine(root, PageFile), RenderPage(ledger));
        return report;
    }

    /// <summary>The chapters whose source differs from the one their default-profile entry ran (or that have none).</summary>
    public static IReadOnlyList<string> StaleChapters(string root)
    {
        var chapters = Load(root)["chapters"] as JsonObject ?? new JsonObject();
        var toc = BookToc.Load(Path.Combine(root, BookToc.FileName));
        return toc.Chapters.Select(c => c.Chapter.File)
            .Where(file => chapters[file]?["default"]?["source_sha256"]?.GetValue<string>() != SourceHash(Path.Combine(root, file)))
            .ToList();
    }

    /// <summary>docs/results.md from the ledger's data.</summary>
    public static string RenderPage(JsonObject ledger)
    {
        var chapters = ledger["chapters"] as JsonObject ?? new JsonObject();
        var page = new StringBuilder();
        page.Append("# Results ledger\n\n");
        page.Append("Every claim of every chapter, as measured by its last run in the `default` profile, with the threshold it had to meet. ");
        page.Append("Written by `book ledger` from executed notebooks (`book run <chapter> --profile default --force`, then `book ledger <chapter>`); ");
        page.Append("do not edit by hand. A test fails when a chapter's source no longer matches the SHA-256 recorded here, so a chapter ");
        page.Append("change lands with a fresh default run.\n\n");

        page.Append("## Smoke runs\n\nWhat CI runs: each chapter in the `smoke` profile (a record, not a timed test).\n\n");
        page.Append("| chapter | smoke time (s) | claims checked in smoke | not checked in smoke | machine |\n|---|---:|---:|---:|---|\n");
        foreach (var (file, node) in chapters)
        {
            if (node?["smoke"] is not JsonObject smoke) continue;
            page.Append($"| {Cell(node["title"]?.GetValue<string>() ?? file)} | {Number(smoke["seconds"])} | {smoke["checked"]} | {smoke["not_checked"]} | {Cell(smoke["machine"]?.GetValue<string>() ?? "")} |\n");
        }
        page.Append('\n');

        foreach (var (file, node) in chapters)
        {
            if (node?["default"] is not JsonObject run) continue;
            page.Append($"## {Cell(node["title"]?.GetValue<string>() ?? file)}\n\n");
            page.Append($"`{file}` · source SHA-256 `{run["source_sha256"]?.GetValue<string>()[..16]}…` · profile {run["profile"]} · ");
            page.Append($"{Number(run["seconds"])} s · {run["finished"]} · {Cell(run["machine"]?.GetValue<string>() ?? "")}\n\n");
            page.Append("| claim | measured | threshold | result |\n|---|---:|---|---|\n");
            foreach (var claim in run["claims"] as JsonArray ?? new JsonArray())
            {
                string status = claim?["status"]?.GetValue<string>() ?? "";
                string verdict = status switch { "holds" => "✔ holds", "fails" => "✘ fails", _ => "– not checked" };
                page.Append($"| {Cell(claim?["name"]?.GetValue<string>() ?? "")} | {Cell(claim?["measured"]?.GetValue<string>() ?? "")} | {Cell(claim?["expected"]?.GetValue<string>() ?? "")} | {verdict} |\n");
            }
            page.Append('\n');
        }
        return page.ToString().TrimEnd() + "\n";
    }

    static string Number(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue(out double d) ? d.ToString("0.0", CultureInfo.InvariantCulture) : "";

    static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
