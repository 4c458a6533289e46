using System.Text.Json.Nodes;
using static TransformersBook.Plotting.PlotlyObject;

namespace TransformersBook.Plotting;

/// <summary>
/// The book's one chart style: white background, light grid, a colour-blind-safe palette (Okabe and Ito, 2008), the
/// same height everywhere; the width follows the page (the site's column, VS Code's output pane). A figure's JSON carries only this style, no template.
/// </summary>
public static class BookChartStyle
{
    /// <summary>Okabe–Ito colours, distinguishable with the common colour-vision deficiencies.</summary>
    public static IReadOnlyList<string> Palette { get; } = new[]
    {
        "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000",
    };

    public const int Height = 420;
    const string GridColor = "#e5e7eb";
    const string AxisColor = "#9ca3af";
    const string FontFamily = "Inter, Segoe UI, Helvetica, Arial, sans-serif";

    /// <summary>The colour of the series at <paramref name="index"/>.</summary>
    public static string SeriesColor(int index) => Palette[index % Palette.Count];

    /// <summary>A chart of these traces in the book's style, with titles and axis types.</summary>
    public static Figure Chart(
        IEnumerable<JsonObject> traces, string? title, string? xTitle, string? yTitle,
        bool logX = false, bool logY = false, int? height = null, bool categoricalX = false, bool categoricalY = false,
        params (string Name, object? Value)[] layoutExtras)
    {
        var layout = Object(
            ("title", title is null ? null : Object(("text", title))),
            ("height", height ?? Height),
            ("font", Object(("family", FontFamily), ("size", 13), ("color", "#1f2937"))),
            ("paper_bgcolor", "#ffffff"),
            ("plot_bgcolor", "#ffffff"),
            ("margin", Object(("l", 64), ("r", 24), ("t", title is null ? 24 : 56), ("b", 56))),
            ("hovermode", "closest"),
            ("xaxis", Axis(xTitle, logX ? "log" : categoricalX ? "category" : null)),
            ("yaxis", Axis(yTitle, logY ? "log" : categoricalY ? "category" : null)));
        layout.With(layoutExtras);
        var config = Object(("responsive", true), ("displaylogo", false));
        return new Figure(traces, layout, config);
    }

    static JsonObject Axis(string? title, string? type) => Object(
        ("title", title is null ? null : Object(("text", title))),
        ("type", type),
        ("showgrid", true),
        ("gridcolor", GridColor),
        ("zeroline", false),
        ("showline", true),
        ("linecolor", AxisColor),
        ("automargin", true));
}
