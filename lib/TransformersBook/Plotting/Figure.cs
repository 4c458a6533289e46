using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TransformersBook.Plotting;

/// <summary>
/// A Plotly figure: the <c>{data, layout, config}</c> JSON that plotly.js draws (https://plotly.com/javascript/reference/).
/// The book builds figures itself instead of through Plotly.NET, whose F# runtime (FSharp.Core 10.1) cannot load in
/// the .NET Interactive engine (it ships FSharp.Core 10.0); the JSON is the same, and every front end draws it.
/// <see cref="Plots"/> makes figures in the book's style; a cell refines one by setting Plotly attributes directly,
/// e.g. <c>figure.Trace(0)["mode"] = "markers"</c> or <c>figure.Layout["barmode"] = "stack"</c>.
/// </summary>
public sealed class Figure
{
    /// <summary>The plotly.js version the HTML form loads when the page has no Plotly of its own (the site ships the same).</summary>
    public const string PlotlyJsVersion = "2.35.3";

    static readonly string PlotlyJsUrl = $"https://cdn.plot.ly/plotly-{PlotlyJsVersion}.min.js";
    static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    /// <summary>A figure of these traces with this layout and config.</summary>
    public Figure(IEnumerable<JsonObject> traces, JsonObject? layout = null, JsonObject? config = null)
    {
        ArgumentNullException.ThrowIfNull(traces);
        Data = new JsonArray(traces.Select(t => (JsonNode?)t).ToArray());
        Layout = layout ?? new JsonObject();
        Config = config ?? new JsonObject();
    }

    /// <summary>The traces (plotly's <c>data</c>), one JSON object each.</summary>
    public JsonArray Data { get; }

    /// <summary>Titles, axes, sizes, colours: plotly's <c>layout</c>.</summary>
    public JsonObject Layout { get; }

    /// <summary>Plotly's <c>config</c> (responsiveness, the mode bar).</summary>
    public JsonObject Config { get; }

    /// <summary>How many traces the figure draws.</summary>
    public int TraceCount => Data.Count;

    /// <summary>Trace <paramref name="index"/>, to read or change its attributes.</summary>
    public JsonObject Trace(int index) =>
        index >= 0 && index < Data.Count
            ? Data[index]!.AsObject()
            : throw new ArgumentOutOfRangeException(nameof(index), index, $"The figure has {Data.Count} trace(s).");

    /// <summary>A layout attribute object such as <c>xaxis</c>, created empty if the layout has none.</summary>
    public JsonObject LayoutObject(string name)
    {
        if (Layout[name] is JsonObject existing) return existing;
        var created = new JsonObject();
        Layout[name] = created;
        return created;
    }

    /// <summary>The figure's height in pixels (the layout's, or the book's default).</summary>
    public int Height => Layout["height"] is JsonValue value && value.TryGetValue(out int height) ? height : BookChartStyle.Height;

    /// <summary>The figure JSON: <c>{"data": [...], "layout": {...}, "config": {...}}</c>.</summary>
    public string ToJson() => new JsonObject
    {
        ["data"] = Data.DeepClone(),
        ["layout"] = Layout.DeepClone(),
        ["config"] = Config.DeepClone(),
    }.ToJsonString(Compact);

    /// <summary>
    /// A div and a script that draws the figure in place: with the page's Plotly if it has one (the book's site), else
    /// through RequireJS where a front end provides it, else by loading plotly.js once.
    /// </summary>
    public string ToHtml()
    {
        string id = "book-plot-" + Guid.NewGuid().ToString("N");
        // "</" inside a string would end the script element early.
        string figure = ToJson().Replace("</", "<\\/", StringComparison.Ordinal);
        return string.Create(CultureInfo.InvariantCulture, $$"""
            <div id="{{id}}" class="book-plot" style="width:100%;max-width:960px;height:{{Height}}px"></div>
            <script type="text/javascript">
            (function () {
              var figure = {{figure}};
              function draw(plotly) { plotly.newPlot("{{id}}", figure.data, figure.layout, figure.config); }
              if (typeof window.Plotly !== "undefined") { draw(window.Plotly); return; }
              var url = "{{PlotlyJsUrl}}";
              if (typeof window.requirejs === "function") {
                window.requirejs([url], function (plotly) { window.Plotly = window.Plotly || plotly; draw(window.Plotly); });
                return;
              }
              var loading = document.querySelector("script[data-book-plotly]");
              if (!loading) {
                loading = document.createElement("script");
                loading.src = url;
                loading.setAttribute("data-book-plotly", "");
                document.head.appendChild(loading);
              }
              loading.addEventListener("load", function () { draw(window.Plotly); });
            })();
            </script>
            """);
    }

    /// <summary>A one-line description for plain-text front ends.</summary>
    public override string ToString()
    {
        string title = Layout["title"]?["text"]?.GetValue<string>() is { Length: > 0 } text ? $" \"{text}\"" : "";
        return $"Plotly chart{title} ({TraceCount} trace{(TraceCount == 1 ? "" : "s")}); shown as a figure in notebooks";
    }
}
