using System.Text.Encodings.Web;
using System.Text.Json;

namespace Book.Site;

/// <summary>One searchable section: where it is (site-relative URL with anchor), its heading, its chapter and its text.</summary>
internal sealed record SearchEntry(string Url, string Title, string Chapter, string Text);

/// <summary>
/// The full-text index, built at render time. It is JSON assigned to window.bookSearchIndex in a .js file rather
/// than a bare .json file, because pages opened from file:// may load scripts but may not fetch JSON.
/// </summary>
internal sealed class SearchIndex
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        // Keeps "</script>" and friends escaped, so the file is safe however it is loaded.
        Encoder = JavaScriptEncoder.Default,
    };

    private readonly List<SearchEntry> _entries = [];

    public IReadOnlyList<SearchEntry> Entries => _entries;

    public void Add(string pagePath, string chapterTitle, IEnumerable<SearchSection> sections)
    {
        foreach (var section in sections)
        {
            var url = section.Anchor.Length > 0 ? $"{pagePath}#{section.Anchor}" : pagePath;
            _entries.Add(new SearchEntry(url, section.Title, chapterTitle, section.Text));
        }
    }

    public string ToJson() => JsonSerializer.Serialize(new { entries = _entries }, Json);

    public string ToScript() => $"window.bookSearchIndex = {ToJson()};\n";
}
