using System.Globalization;
using Plotly.NET;

namespace TransformersBook.Display;

/// <summary>
/// A Plotly.NET chart as notebook output: the figure JSON ({data, layout, config}) under
/// application/vnd.plotly.v1+json, which Jupyter front ends (VS Code included) and the book's site render natively,
/// and text/html with a div and a script that draws it with a global Plotly if the page has one, else loads plotly.js.
/// </summary>
public static class PlotlyFigure
{
    /// <summary>The plotly.js version Plotly.NET 6.0.0 is written for.</summary>
    public const string PlotlyJsVersion = "2.28.0";

    static readonly string PlotlyJsUrl = $"https://cdn.plot.ly/plotly-{PlotlyJsVersion}.min.js";

    /// <summary>The figure JSON: {"data": [...], "layout": {...}, "config": {...}}.</summary>
    public static string ToJson(GenericChart chart) => GenericChart.toJson(chart);

    /// <summary>A div and a script that draws the chart in place.</summary>
    public static string ToHtml(GenericChart chart)
    {
        string id = "book-plot-" + Guid.NewGuid().ToString("N");
        // "</" inside a string would end the script element early.
        string figure = ToJson(chart).Replace("</", "<\\/", StringComparison.Ordinal);
        int height = GenericChart.getLayout(chart).TryGetPropertyValue("height") is { } value && value.Value is int h ? h : 420;
        return string.Create(CultureInfo.InvariantCulture, $$"""
            <div id="{{id}}" class="book-plot" style="width:100%;max-width:960px;height:{{height}}px"></div>
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
}
