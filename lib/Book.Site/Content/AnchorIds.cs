namespace Book.Site;

/// <summary>
/// Hands out unique element ids for one page. Each markdown cell is parsed on its own, so two cells may both
/// have a "Summary" heading; the second becomes "summary-1" and both entries in the page contents still work.
/// </summary>
internal sealed class AnchorIds
{
    private readonly HashSet<string> _taken = new(StringComparer.Ordinal) { "content", "sidebar", "search-input", "search-results" };

    public string Claim(string wanted)
    {
        var id = string.IsNullOrWhiteSpace(wanted) ? "section" : wanted;
        var candidate = id;
        for (var n = 1; !_taken.Add(candidate); n++)
        {
            candidate = $"{id}-{n}";
        }

        return candidate;
    }
}
