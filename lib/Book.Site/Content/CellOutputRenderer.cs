using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Book.Engine.Notebooks;

namespace Book.Site;

/// <summary>A code cell's outputs as HTML, whether any of them draws a Plotly chart, and what was worth a warning.</summary>
internal sealed record RenderedOutputs(string Html, bool UsesPlotly, IReadOnlyList<string> Warnings);

/// <summary>
/// Turns nbformat outputs into HTML. Text (streams, text/plain, errors) is always escaped; text/html and SVG are
/// trusted as the book's own output and inserted as they are, scripts included, so Plotly charts run in the page.
/// </summary>
internal sealed partial class CellOutputRenderer(MarkdownCellRenderer markdown)
{
    // The richest representation the page can show wins, as in Jupyter.
    /// <summary>A Plotly figure as JSON ({data, layout, config}), what the book's charts carry besides their HTML.</summary>
    private const string PlotlyMime = "application/vnd.plotly.v1+json";

    private int chartCount;

    private static readonly string[] MimePreference =
        [PlotlyMime, "text/html", "image/svg+xml", "image/png", "image/jpeg", "image/gif", "text/markdown", "text/plain"];

    public RenderedOutputs Render(IReadOnlyList<JsonObject> outputs, string where)
    {
        var html = new StringBuilder();
        var warnings = new List<string>();
        var usesPlotly = false;

        for (var i = 0; i < outputs.Count; i++)
        {
            var output = outputs[i];
            switch (JsonText.StringOf(output["output_type"]))
            {
                case "stream":
                    // Consecutive writes to the same stream read as one block, as in Jupyter.
                    var name = JsonText.StringOf(output["name"]) ?? "stdout";
                    var text = new StringBuilder(JsonText.Join(output["text"]));
                    while (i + 1 < outputs.Count && JsonText.StringOf(outputs[i + 1]["output_type"]) == "stream"
                        && (JsonText.StringOf(outputs[i + 1]["name"]) ?? "stdout") == name)
                    {
                        text.Append(JsonText.Join(outputs[++i]["text"]));
                    }

                    var streamClass = name == "stderr" ? "output-stderr" : "output-stdout";
                    html.Append($"<div class=\"output output-stream {streamClass}\"><pre>{Escape(TerminalText(text.ToString()))}</pre></div>\n");
                    break;
                case "display_data" or "execute_result":
                    html.Append(RenderBundle(output["data"] as JsonObject, where, warnings, ref usesPlotly));
                    break;
                case "error":
                    html.Append(RenderError(output));
                    break;
                case var other:
                    warnings.Add($"{where}: output type '{other ?? "(missing)"}' is not shown.");
                    break;
            }
        }

        return new RenderedOutputs(html.ToString(), usesPlotly, warnings);
    }

    private string RenderBundle(JsonObject? data, string where, List<string> warnings, ref bool usesPlotly)
    {
        var mime = MimePreference.FirstOrDefault(type => data?.ContainsKey(type) == true);
        if (mime is null)
        {
            warnings.Add($"{where}: an output has none of the MIME types the site can show ({string.Join(", ", data?.Select(p => p.Key) ?? [])}).");
            return "";
        }

        if (mime == PlotlyMime)
        {
            // The figure itself, drawn by the site's own plotly.js once it has loaded (book.js; plotly.js is deferred so it
            // does not hold up the first paint): no script from the notebook runs, and nothing is fetched from
            // elsewhere. The data travels compactly (PlotlyFigureData) as JSON that no browser executes; the caption is
            // the chart's text alternative.
            usesPlotly = true;
            string id = "chart-" + (++chartCount).ToString(System.Globalization.CultureInfo.InvariantCulture);
            // nbformat stores it as JSON; older runners wrote it as a string of JSON.
            var node = data![mime]!;
            JsonNode? parsed;
            try
            {
                parsed = node.GetValueKind() == JsonValueKind.String ? JsonNode.Parse(node.GetValue<string>()) : node;
            }
            catch (JsonException e)
            {
                warnings.Add($"{where}: a Plotly figure is not valid JSON ({e.Message}); it is not shown.");
                return "";
            }

            if (parsed is not JsonObject figure)
            {
                warnings.Add($"{where}: a Plotly figure is not a JSON object; it is not shown.");
                return "";
            }

            // "<" only occurs inside JSON strings, where \u003c means the same; so no "</script>" can end the element early.
            string json = PlotlyFigureData.Compact(figure).ToJsonString().Replace("<", "\\u003c", StringComparison.Ordinal);
            string description = Escape(PlotlyFigureDescription.Of(figure));
            return $"<figure class=\"output output-chart\"><div id=\"{id}\" class=\"book-plot\"></div>" +
                   $"<script type=\"application/json\" class=\"book-plot-figure\" data-plot=\"{id}\">{json}</script>" +
                   $"<figcaption class=\"visually-hidden\">{description}</figcaption></figure>\n";
        }

        var content = JsonText.Join(data![mime]);
        switch (mime)
        {
            case "text/html":
                var html = RemoveRemoteScripts(content, where, warnings);
                var isChart = html.Contains("Plotly.", StringComparison.Ordinal);
                usesPlotly |= isChart;
                return $"<div class=\"output output-html{(isChart ? " output-chart" : "")}\">{html}</div>\n";
            case "image/svg+xml":
                return $"<div class=\"output output-image\">{content}</div>\n";
            case "image/png" or "image/jpeg" or "image/gif":
                var base64 = string.Concat(content.Where(c => !char.IsWhiteSpace(c)));
                var alt = data.ContainsKey("text/plain") ? Escape(JsonText.Join(data["text/plain"])) : "Cell output";
                return $"<div class=\"output output-image\"><img src=\"data:{mime};base64,{base64}\" alt=\"{alt}\"></div>\n";
            case "text/markdown":
                return $"<div class=\"output output-markdown\">{markdown.RenderOutput(content)}</div>\n";
            default:
                return $"<div class=\"output output-text\"><pre>{Escape(TerminalText(content))}</pre></div>\n";
        }
    }

    private static string RenderError(JsonObject output)
    {
        var name = JsonText.StringOf(output["ename"]) ?? "Error";
        var value = JsonText.StringOf(output["evalue"]) ?? "";
        var header = value.Length > 0 ? $"{name}: {value}" : name;
        var traceback = output["traceback"] is JsonArray lines
            ? lines.Where(line => line?.GetValueKind() == JsonValueKind.String)
                .Select(line => TerminalText(line!.GetValue<string>()))
                .Where(line => line.Trim() != header.Trim())
            : [];
        var body = string.Join("\n", traceback);
        return $"<div class=\"output output-error\"><pre><strong class=\"error-name\">{Escape(name)}</strong>{(value.Length > 0 ? ": " + Escape(value) : "")}"
            + (body.Length > 0 ? "\n" + Escape(body) : "") + "</pre></div>\n";
    }

    /// <summary>
    /// The site ships Plotly itself, and no page may fetch from another host; a chart that still names a CDN copy
    /// of Plotly (or anything else remote) would do exactly that, so the tag goes and the build says so.
    /// </summary>
    private static string RemoveRemoteScripts(string html, string where, List<string> warnings) =>
        RemoteScript().Replace(html, match =>
        {
            warnings.Add($"{where}: removed <script src=\"{match.Groups["src"].Value}\"> from an HTML output; the site serves its own copies of scripts.");
            return "";
        });

    /// <summary>Terminal text as a reader saw it: ANSI colour codes dropped and carriage-return progress lines collapsed.</summary>
    private static string TerminalText(string text)
    {
        var lines = AnsiEscape().Replace(text, "").Replace("\r\n", "\n").Split('\n');
        return string.Join('\n', lines.Select(line => line[(line.LastIndexOf('\r') + 1)..]));
    }

    private static string Escape(string text) => WebUtility.HtmlEncode(text);

    [GeneratedRegex(@"\x1B\[[0-?]*[ -/]*[@-~]")]
    private static partial Regex AnsiEscape();

    [GeneratedRegex("""<script\b[^>]*\bsrc\s*=\s*["']?(?<src>(?:https?:)?//[^"'\s>]+)["']?[^>]*>\s*</script\s*>""", RegexOptions.IgnoreCase)]
    private static partial Regex RemoteScript();
}
