using System.Text.Json.Nodes;
using Book.Engine.Notebooks;

namespace Book.Site;

/// <summary>
/// A chart's text alternative, from its figure: the kind of chart, its title, its axes and its series, e.g.
/// "Line chart: Training loss. x axis: step; y axis: loss. 2 series: pre-norm, post-norm." A screen reader reads it
/// in place of the drawing, and it is there before (or without) plotly.js.
/// </summary>
internal static class PlotlyFigureDescription
{
    public static string Of(JsonNode figure)
    {
        var layout = figure["layout"] as JsonObject;
        var traces = (figure["data"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        var parts = new List<string>();

        var kind = Kind(traces);
        var title = Title(layout?["title"]);
        parts.Add(title is null ? kind + "." : $"{kind}: {Sentence(title)}");

        var axes = new List<string>();
        if (Title(layout?["xaxis"]?["title"]) is { } x)
        {
            axes.Add($"x axis: {x}");
        }

        if (Title(layout?["yaxis"]?["title"]) is { } y)
        {
            axes.Add($"y axis: {y}");
        }

        if (axes.Count > 0)
        {
            parts.Add(string.Join("; ", axes) + ".");
        }

        var names = traces.Select(t => JsonText.StringOf(t["name"])).OfType<string>().Where(n => n.Trim().Length > 0).Distinct().ToList();
        if (names.Count > 0)
        {
            parts.Add($"{names.Count} series: {string.Join(", ", names.Take(12))}{(names.Count > 12 ? ", …" : "")}.");
        }

        return string.Join(' ', parts);
    }

    private static string Kind(IReadOnlyList<JsonObject> traces)
    {
        var kinds = traces.Select(trace => (JsonText.StringOf(trace["type"]) ?? "scatter") switch
        {
            "bar" => "Bar chart",
            "heatmap" => "Heat map",
            "histogram" => "Histogram",
            "image" => "Image",
            "scatter" or "scattergl" when (JsonText.StringOf(trace["mode"]) ?? "lines") is var mode && !mode.Contains("lines", StringComparison.Ordinal) => "Scatter plot",
            "scatter" or "scattergl" => "Line chart",
            var other => $"{char.ToUpperInvariant(other[0])}{other[1..]} chart",
        }).Distinct().ToList();
        return kinds.Count switch
        {
            0 => "Chart",
            1 => kinds[0],
            _ => "Chart (" + string.Join(", ", kinds.Select(k => k.ToLowerInvariant())) + ")",
        };
    }

    /// <summary>Plotly accepts a title as a string or as {text: …}.</summary>
    private static string? Title(JsonNode? title)
    {
        var text = title is JsonObject o ? JsonText.StringOf(o["text"]) : JsonText.StringOf(title);
        if (text is null)
        {
            return null;
        }

        // Plotly titles may carry <br> and simple tags; the alternative is plain text.
        text = System.Text.RegularExpressions.Regex.Replace(text, "<br\\s*/?>", " ", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
        text = System.Text.RegularExpressions.Regex.Replace(text, "<[^>]+>", "");
        text = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return text.Length > 0 ? text : null;
    }

    private static string Sentence(string text) => text.EndsWith('.') || text.EndsWith('?') || text.EndsWith('!') ? text : text + ".";
}
