using System.Text.Json.Nodes;

namespace Book.Site.Tests;

public sealed class CellOutputRendererTests
{
    private readonly CellOutputRenderer _renderer = new(new MarkdownCellRenderer());

    [Fact]
    public void Images_become_data_urls_with_the_plain_text_as_alt()
    {
        var output = FixtureNotebook.Display(("image/png", "iVBORw0KGgo=\n"), ("text/plain", "<Figure 1>"));

        var rendered = _renderer.Render([output], "x.ipynb, cell 1");

        Assert.Equal("<div class=\"output output-image\"><img src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"&lt;Figure 1&gt;\"></div>\n", rendered.Html);
        Assert.False(rendered.UsesPlotly);
    }

    [Fact]
    public void Plotly_figure_json_is_drawn_by_the_sites_plotly_at_the_columns_width()
    {
        var figure = JsonNode.Parse("""{"data":[{"type":"scatter","y":[1,4,9]}],"layout":{"width":720,"height":300},"config":{}}""")!;
        var output = new JsonObject
        {
            ["output_type"] = "display_data",
            ["metadata"] = new JsonObject(),
            ["data"] = new JsonObject
            {
                ["application/vnd.plotly.v1+json"] = figure,
                ["text/html"] = "<div></div><script>var s = document.createElement('script'); s.src = 'https://cdn.example/plotly.js';</script>",
            },
        };

        var rendered = _renderer.Render([output], "x.ipynb, cell 1");

        Assert.True(rendered.UsesPlotly);
        // The figure travels as JSON that no browser runs; book.js draws it once the deferred plotly.js has loaded.
        Assert.StartsWith("<figure class=\"output output-chart\"><div id=\"chart-1\" class=\"book-plot\"></div><script type=\"application/json\" class=\"book-plot-figure\" data-plot=\"chart-1\">", rendered.Html);
        Assert.Contains("\"height\":300", rendered.Html);
        Assert.DoesNotContain("Plotly.newPlot", rendered.Html);
        Assert.Contains("<figcaption class=\"visually-hidden\">Line chart.</figcaption>", rendered.Html);
        // The notebook's own HTML (and the CDN it names) is not used.
        Assert.DoesNotContain("cdn.example", rendered.Html);
    }

    [Fact]
    public void A_figure_cannot_end_its_script_element_early()
    {
        var figure = JsonNode.Parse("""{"data":[{"type":"bar","x":["</script><script>alert(1)</script>"],"y":[1]}],"layout":{"title":"a <b>bold</b> title"}}""")!;

        var html = _renderer.Render([FixtureNotebook.DisplayJson("application/vnd.plotly.v1+json", figure)], "x.ipynb, cell 1").Html;

        Assert.DoesNotContain("</script><script>", html);
        Assert.Matches(@"\\u003[cC]/script", html);
        Assert.Contains(">Bar chart: a bold title.</figcaption>", html);
    }

    [Fact]
    public void The_text_alternative_names_the_kind_title_axes_and_series()
    {
        var figure = FixtureBook.WideLineFigure();

        Assert.Equal(
            "Line chart: The tanh approximation's error. x axis: x; y axis: difference. 2 series: GELU_tanh − GELU, reference.",
            PlotlyFigureDescription.Of(figure));
        Assert.Equal(
            "Heat map: Attention weights. x axis: key; y axis: query.",
            PlotlyFigureDescription.Of(JsonNode.Parse("""{"data":[{"type":"heatmap","z":[[1]]}],"layout":{"title":{"text":"Attention weights"},"xaxis":{"title":{"text":"key"}},"yaxis":{"title":"query"}}}""")!));
        Assert.Equal("Scatter plot.", PlotlyFigureDescription.Of(JsonNode.Parse("""{"data":[{"type":"scatter","mode":"markers","y":[1]}]}""")!));
    }

    [Fact]
    public void Long_numeric_arrays_travel_as_typed_arrays_that_decode_to_the_same_points()
    {
        var figure = FixtureBook.WideLineFigure();
        var plainSize = figure.ToJsonString().Length;

        var compact = PlotlyFigureData.Compact(figure);

        var size = compact.ToJsonString().Length;
        Assert.True(size < 100_000 && size * 5 < plainSize, $"{plainSize} characters became {size}");
        var trace = compact["data"]![0]!;
        // x was evenly spaced: it becomes x0 and dx.
        Assert.Null(trace["x"]);
        Assert.Equal(-8.0, trace["x0"]!.GetValue<double>(), 12);
        Assert.Equal(16.0 / (FixtureBook.WideLinePoints - 1), trace["dx"]!.GetValue<double>(), 12);
        Assert.Equal("f4", trace["y"]!["dtype"]!.GetValue<string>());
        var decoded = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(Convert.FromBase64String(trace["y"]!["bdata"]!.GetValue<string>())).ToArray();
        var original = figure["data"]![0]!["y"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        Assert.Equal(original.Length, decoded.Length);
        Assert.All(original.Zip(decoded), pair => Assert.True(Math.Abs(pair.First - pair.Second) <= 1e-6 * Math.Abs(pair.First), $"{pair.First} -> {pair.Second}"));
        // Short arrays stay readable JSON; the figure given is not changed.
        Assert.Equal("[-8,0,8]", compact["data"]![1]!["x"]!.ToJsonString());
        Assert.Equal(FixtureBook.WideLinePoints, figure["data"]![0]!["x"]!.AsArray().Count);
    }

    [Fact]
    public void Matrices_keep_their_shape_and_values_float32_cannot_hold_stay_float64()
    {
        var rows = Enumerable.Range(0, 10).Select(r => new JsonArray(Enumerable.Range(0, 12).Select(c => (JsonNode?)(r * 12 + c + 0.5)).ToArray())).ToArray();
        var tiny = new JsonArray(Enumerable.Range(0, 70).Select(i => (JsonNode?)(i == 3 ? 1e-300 : i)).ToArray());
        var labels = new JsonArray(Enumerable.Range(0, 70).Select(i => (JsonNode?)$"t{i}").ToArray());
        var figure = new JsonObject
        {
            ["data"] = new JsonArray(
                new JsonObject { ["type"] = "heatmap", ["z"] = new JsonArray(rows), ["x"] = labels },
                new JsonObject { ["type"] = "scatter", ["y"] = tiny }),
        };

        var compact = PlotlyFigureData.Compact(figure);

        Assert.Equal("10,12", compact["data"]![0]!["z"]!["shape"]!.GetValue<string>());
        var z = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(Convert.FromBase64String(compact["data"]![0]!["z"]!["bdata"]!.GetValue<string>())).ToArray();
        Assert.Equal(Enumerable.Range(0, 120).Select(i => i + 0.5f), z);
        Assert.Equal(labels.ToJsonString(), compact["data"]![0]!["x"]!.ToJsonString());
        Assert.Equal("f8", compact["data"]![1]!["y"]!["dtype"]!.GetValue<string>());
    }

    [Fact]
    public void Image_pixels_travel_as_bytes_with_their_three_dimensional_shape()
    {
        JsonNode Pixel(int r, int c) => new JsonArray((r * 7) % 256, (c * 13) % 256, 200);
        var image = new JsonArray(Enumerable.Range(0, 8).Select(r => (JsonNode?)new JsonArray(Enumerable.Range(0, 16).Select(c => (JsonNode?)Pixel(r, c)).ToArray())).ToArray());
        var ragged = JsonNode.Parse("[[1,2,3],[4,5]]")!;
        var figure = new JsonObject { ["data"] = new JsonArray(new JsonObject { ["type"] = "image", ["z"] = image }, new JsonObject { ["type"] = "heatmap", ["z"] = ragged }) };

        var compact = PlotlyFigureData.Compact(figure);

        var z = compact["data"]![0]!["z"]!;
        Assert.Equal(("u1", "8,16,3"), (z["dtype"]!.GetValue<string>(), z["shape"]!.GetValue<string>()));
        var bytes = Convert.FromBase64String(z["bdata"]!.GetValue<string>());
        Assert.Equal(image.SelectMany(row => row!.AsArray().SelectMany(pixel => pixel!.AsArray().Select(v => (byte)v!.GetValue<int>()))), bytes);
        Assert.Equal("[[1,2,3],[4,5]]", compact["data"]![1]!["z"]!.ToJsonString());
    }

    [Fact]
    public void Plain_text_results_are_escaped()
    {
        var rendered = _renderer.Render([FixtureNotebook.Result(("text/plain", "List<int> { 1, 2 }"))], "x.ipynb, cell 1");

        Assert.Equal("<div class=\"output output-text\"><pre>List&lt;int&gt; { 1, 2 }</pre></div>\n", rendered.Html);
    }

    [Fact]
    public void Carriage_return_progress_keeps_the_last_state_of_each_line()
    {
        var rendered = _renderer.Render([FixtureNotebook.Stream("stdout", "epoch 1/3\repoch 2/3\repoch 3/3\ndone\n")], "x.ipynb, cell 1");

        Assert.Contains("<pre>epoch 3/3\ndone\n</pre>", rendered.Html);
    }

    [Fact]
    public void Outputs_the_site_cannot_show_are_reported()
    {
        var unknown = new JsonObject { ["output_type"] = "update_display_data" };
        var exotic = FixtureNotebook.Display(("application/vnd.custom+json", "{}"));

        var rendered = _renderer.Render([unknown, exotic], "x.ipynb, cell 4");

        Assert.Equal("", rendered.Html);
        Assert.Equal(
            ["x.ipynb, cell 4: output type 'update_display_data' is not shown.",
             "x.ipynb, cell 4: an output has none of the MIME types the site can show (application/vnd.custom+json)."],
            rendered.Warnings);
    }
}
