using System.Text.Json;
using TorchSharp;
using TransformersBook.Plotting;

namespace TransformersBook.Tests;

public class PlotTests
{
    public PlotTests() => TestSetup.Initialize();

    static JsonElement Figure(Figure chart) => JsonDocument.Parse(chart.ToJson()).RootElement;

    [Fact]
    public void Line_has_one_named_trace_per_series_axis_titles_and_log_y()
    {
        var chart = Plots.Line(new[] { Series.Of("train", new[] { 3.0, 2, 1 }), Series.Of("eval", new[] { 3.5, 2.5, 2 }) },
            title: "Loss", xTitle: "step", yTitle: "loss", logY: true);
        var figure = Figure(chart);
        var data = figure.GetProperty("data");
        Assert.Equal(2, data.GetArrayLength());
        Assert.Equal("train", data[0].GetProperty("name").GetString());
        Assert.Equal("eval", data[1].GetProperty("name").GetString());
        Assert.Equal("lines", data[0].GetProperty("mode").GetString());
        Assert.NotEqual(data[0].GetProperty("line").GetProperty("color").GetString(), data[1].GetProperty("line").GetProperty("color").GetString());
        var layout = figure.GetProperty("layout");
        Assert.Equal("Loss", layout.GetProperty("title").GetProperty("text").GetString());
        Assert.Equal("step", layout.GetProperty("xaxis").GetProperty("title").GetProperty("text").GetString());
        Assert.Equal("log", layout.GetProperty("yaxis").GetProperty("type").GetString());
        Assert.False(layout.TryGetProperty("template", out _));
    }

    [Fact]
    public void Non_finite_values_become_gaps_so_the_json_stays_valid()
    {
        var chart = Plots.Line(new[] { 1.0, 2, 3 }, new[] { 1.0, double.NaN, double.PositiveInfinity });
        var y = Figure(chart).GetProperty("data")[0].GetProperty("y");
        Assert.Equal(JsonValueKind.Number, y[0].ValueKind);
        Assert.Equal(JsonValueKind.Null, y[1].ValueKind);
        Assert.Equal(JsonValueKind.Null, y[2].ValueKind);
    }

    [Fact]
    public void Scatter_draws_markers_with_hover_labels()
    {
        var chart = Plots.Scatter(new[] { 0.0, 1 }, new[] { 1.0, 0 }, "words", labels: new[] { "king", "queen" });
        var trace = Figure(chart).GetProperty("data")[0];
        Assert.Equal("markers", trace.GetProperty("mode").GetString());
        Assert.Equal("queen", trace.GetProperty("text")[1].GetString());
    }

    [Fact]
    public void Grouped_bars_share_categories()
    {
        var chart = Plots.Bar(new[] { "copy", "reverse" }, new[] { ("sinusoidal", (IEnumerable<double>)new[] { 0.9, 0.8 }), ("RoPE", new[] { 0.95, 0.9 }) });
        var figure = Figure(chart);
        Assert.Equal(2, figure.GetProperty("data").GetArrayLength());
        Assert.Equal("bar", figure.GetProperty("data")[1].GetProperty("type").GetString());
        Assert.Equal("group", figure.GetProperty("layout").GetProperty("barmode").GetString());
        Assert.Throws<ArgumentException>(() => Plots.Bar(new[] { "a" }, new[] { 1.0, 2.0 }));
    }

    [Fact]
    public void Heatmap_reads_top_down_with_labels_and_a_centred_diverging_scale()
    {
        var values = new[] { new[] { -1.0, 0.5 }, new[] { 0.25, 2.0 } };
        var chart = Plots.Heatmap(values, rowLabels: new[] { "the", "the" }, columnLabels: new[] { "a", "b" });
        var figure = Figure(chart);
        var trace = figure.GetProperty("data")[0];
        Assert.Equal("heatmap", trace.GetProperty("type").GetString());
        Assert.Equal(2, trace.GetProperty("z").GetArrayLength());
        Assert.Equal(0.0, trace.GetProperty("zmid").GetDouble());
        Assert.Equal(2.0, trace.GetProperty("zmax").GetDouble());
        Assert.NotEqual(trace.GetProperty("y")[0].GetString(), trace.GetProperty("y")[1].GetString());
        Assert.Equal("reversed", figure.GetProperty("layout").GetProperty("yaxis").GetProperty("autorange").GetString());
    }

    [Fact]
    public void Heatmap_of_a_tensor()
    {
        using var t = torch.eye(3);
        var trace = Figure(Plots.Heatmap(t)).GetProperty("data")[0];
        Assert.Equal(1.0, trace.GetProperty("z")[2][2].GetDouble());
        Assert.Equal("Viridis", trace.GetProperty("colorscale").GetString());
        using var cube = torch.zeros(2, 2, 2);
        Assert.Throws<ArgumentException>(() => Plots.Heatmap(cube));
    }

    [Fact]
    public void A_figure_is_refined_by_setting_plotly_attributes()
    {
        var chart = Plots.Line(new[] { Series.Of("a", new[] { 1.0, 2 }), Series.Of("b", new[] { 2.0, 1 }) }, title: "Two lines");
        chart.Trace(1)["mode"] = "markers";
        chart.Layout["barmode"] = "stack";
        chart.LayoutObject("legend")["orientation"] = "h";
        var figure = Figure(chart);
        Assert.Equal("lines", figure.GetProperty("data")[0].GetProperty("mode").GetString());
        Assert.Equal("markers", figure.GetProperty("data")[1].GetProperty("mode").GetString());
        Assert.Equal("stack", figure.GetProperty("layout").GetProperty("barmode").GetString());
        Assert.Equal("h", figure.GetProperty("layout").GetProperty("legend").GetProperty("orientation").GetString());
        Assert.Equal(2, chart.TraceCount);
        Assert.Equal("Plotly chart \"Two lines\" (2 traces); shown as a figure in notebooks", chart.ToString());
        Assert.Throws<ArgumentOutOfRangeException>(() => chart.Trace(2));
    }

    [Fact]
    public void The_json_is_a_snapshot_so_later_changes_do_not_alter_an_emitted_figure()
    {
        var chart = Plots.Bar(new[] { "x" }, new[] { 1.0 });
        string before = chart.ToJson();
        chart.Layout["height"] = 600;
        Assert.DoesNotContain("600", before);
        Assert.Equal(600, chart.Height);
        Assert.Equal(BookChartStyle.Height, Plots.Bar(new[] { "x" }, new[] { 1.0 }).Height);
    }

    [Fact]
    public void Image_gallery_draws_one_image_trace_with_a_tick_per_image()
    {
        using var images = torch.rand(3, 3, 4, 5);
        var figure = Figure(ImageGallery.Show(images, labels: new[] { "a", "b", "c" }));
        var trace = figure.GetProperty("data")[0];
        Assert.Equal("image", trace.GetProperty("type").GetString());
        Assert.Equal(4, trace.GetProperty("z").GetArrayLength());
        Assert.Equal(3 * 5 + 2 * 2, trace.GetProperty("z")[0].GetArrayLength());
        Assert.Equal("c", figure.GetProperty("layout").GetProperty("xaxis").GetProperty("ticktext")[2].GetString());
    }

    [Fact]
    public void A_chart_needs_data() =>
        Assert.Throws<ArgumentException>(() => Plots.Line(Array.Empty<Series>()));
}
