using System.Text.Json;
using Microsoft.DotNet.Interactive.Formatting;
using TorchSharp;
using TransformersBook.Display;
using TransformersBook.Plotting;

namespace TransformersBook.Tests;

public class TensorFormatterTests
{
    public TensorFormatterTests() => TestSetup.Initialize();

    [Fact]
    public void Html_shows_shape_dtype_device_statistics_and_a_heat_map_for_a_small_matrix()
    {
        using var t = torch.arange(6, dtype: torch.ScalarType.Float32).reshape(2, 3);
        string html = Formatter.ToDisplayString(t, MimeTypes.Html);
        Assert.Contains("[2, 3]", html);
        Assert.Contains("float32", html);
        Assert.Contains("cpu", html);
        Assert.Contains("min 0 · max 5 · mean 2.5", html);
        Assert.Contains("<svg", html);
        Assert.Contains("2×3", html);
    }

    [Theory]
    [InlineData(2, 3, 4)]
    [InlineData(65, 3)]
    [InlineData(3, 65)]
    public void No_heat_map_beyond_small_matrices(params int[] shape)
    {
        using var t = torch.zeros(shape.Select(s => (long)s).ToArray());
        string html = TensorFormatter.ToHtml(t);
        Assert.DoesNotContain("<svg", html);
        Assert.Contains($"[{string.Join(", ", shape)}]", html);
    }

    [Fact]
    public void Integer_matrices_get_values_but_no_heat_map()
    {
        using var t = torch.ones(3, 3, dtype: torch.ScalarType.Int64);
        string html = TensorFormatter.ToHtml(t);
        Assert.Contains("int64", html);
        Assert.DoesNotContain("<svg", html);
        Assert.Contains("<pre", html);
    }

    [Fact]
    public void Plain_text_starts_with_the_description_then_the_values()
    {
        using var t = torch.tensor(new float[] { 1.5f, -2f });
        string text = Formatter.ToDisplayString(t, MimeTypes.PlainText);
        Assert.StartsWith("tensor [2] float32 cpu", text);
        Assert.Contains("1.5", text);
        Assert.Contains("-2", text);
    }

    [Fact]
    public void Tensors_and_parameters_prefer_html()
    {
        using var t = torch.zeros(1);
        Assert.Contains(MimeTypes.Html, Formatter.GetPreferredMimeTypesFor(t.GetType()));
        using var layer = torch.nn.Linear(2, 2);
        Assert.Contains(MimeTypes.Html, Formatter.GetPreferredMimeTypesFor(layer.weight!.GetType()));
        Assert.Contains("book-tensor", Formatter.ToDisplayString(layer.weight, MimeTypes.Html));
    }

    [Fact]
    public void A_causal_mask_is_drawn_too()
    {
        using var mask = torch.ones(4, 4, dtype: torch.ScalarType.Bool).tril();
        string html = TensorFormatter.ToHtml(mask);
        Assert.Contains("bool", html);
        Assert.Contains("<svg", html);
    }

    [Fact]
    public void A_disposed_tensor_formats_without_throwing()
    {
        var t = torch.zeros(2);
        t.Dispose();
        Assert.Contains("disposed", TensorFormatter.ToPlainText(t));
    }

    [Fact]
    public void Formatting_records_no_autograd_history_and_frees_its_tensors()
    {
        using var w = torch.randn(8, 8, requires_grad: true);
        string html = TensorFormatter.ToHtml(w);
        Assert.Contains("requires_grad", html);
        Assert.Null(w.grad);
    }

    [Fact]
    public void Heat_map_uses_a_diverging_scale_for_signed_values_and_grey_for_nan()
    {
        string svg = HeatMapSvg.Render(new[] { -1.0, 0.0, 1.0, double.NaN }, 2, 2);
        Assert.Contains("#9ca3af", svg);
        Assert.Equal(4, svg.Split("<path").Length - 1);
        Assert.Throws<ArgumentException>(() => HeatMapSvg.Render(new[] { 1.0, 2.0, 3.0 }, 2, 2));
    }
}

public class ChartAndTableFormatterTests
{
    public ChartAndTableFormatterTests() => TestSetup.Initialize();

    [Fact]
    public void Charts_prefer_plotly_json_and_html_and_the_json_is_a_figure()
    {
        var chart = Plots.Line(new[] { 1.0, 2, 3 }, new[] { 3.0, 2, 1 }, "loss");
        var preferred = Formatter.GetPreferredMimeTypesFor(chart.GetType());
        Assert.Contains(MimeTypes.PlotlyJson, preferred);
        Assert.Contains(MimeTypes.Html, preferred);
        using var figure = JsonDocument.Parse(Formatter.ToDisplayString(chart, MimeTypes.PlotlyJson));
        Assert.Equal(JsonValueKind.Array, figure.RootElement.GetProperty("data").ValueKind);
        Assert.Equal(JsonValueKind.Object, figure.RootElement.GetProperty("layout").ValueKind);
        Assert.Equal(JsonValueKind.Object, figure.RootElement.GetProperty("config").ValueKind);
    }

    [Fact]
    public void Chart_html_draws_with_a_global_plotly_or_loads_it()
    {
        var chart = Plots.Line(new[] { 1.0, 2 }, new[] { 1.0, 4 }, "a</script>b");
        string html = Formatter.ToDisplayString(chart, MimeTypes.Html);
        Assert.Matches("<div id=\"book-plot-[0-9a-f]{32}\"", html);
        Assert.Contains("newPlot", html);
        Assert.Contains("window.Plotly", html);
        Assert.Contains($"plotly-{Figure.PlotlyJsVersion}.min.js", html);
        Assert.Equal(1, html.Split("</script>").Length - 1);
        Assert.Contains("Plotly chart (1 trace)", Formatter.ToDisplayString(chart, MimeTypes.PlainText));
    }

    [Fact]
    public void Table_renders_html_and_aligned_text()
    {
        var table = new Table("model", "loss", "params").AddRow("GPT", 1.23456, 1_000_000L).AddRow("RNN", double.NaN, 42);
        table.Title = "Results";
        string html = Formatter.ToDisplayString(table, MimeTypes.Html);
        Assert.Contains("<th", html);
        Assert.Contains("Results", html);
        Assert.Contains("1.235", html);
        Assert.Contains("NaN", html);
        string text = Formatter.ToDisplayString(table, MimeTypes.PlainText);
        var lines = text.Split('\n');
        Assert.Equal("Results", lines[0]);
        Assert.StartsWith("model", lines[1]);
        Assert.Equal(lines[3].Length, lines[4].Length);
        Assert.Throws<ArgumentException>(() => table.AddRow("too", "few"));
    }

    [Fact]
    public void Tables_are_made_from_records()
    {
        var table = Table.From(new[] { new { Name = "a", Score = 0.5 }, new { Name = "b", Score = 0.25 } });
        Assert.Equal(new[] { "Name", "Score" }, table.Columns);
        Assert.Equal(new object?[] { 0.5, 0.25 }, table.Column("Score").ToArray());
    }

    [Fact]
    public void Live_display_calls_update_on_any_handle_with_update_of_object()
    {
        var handle = new FakeDisplayHandle();
        var live = new LiveDisplay(handle);
        Assert.True(live.IsLive);
        live.Update("x");
        Assert.Equal(new object?[] { "x" }, handle.Updates);
        Assert.False(new LiveDisplay(null).IsLive);
        Assert.Throws<ArgumentException>(() => new LiveDisplay(new object()));
    }

    [Fact]
    public void In_dotnet_interactive_a_live_display_updates_the_output_the_engine_announced()
    {
        // The engine's display(x) (Formatting's DisplayExtensions.Display) announces one DisplayedValue and returns
        // another with its own display id; updating the returned one would reach no output.
        ProducedDisplays.Track();
        var announced = new List<DisplayedValue>();
        using var listening = Formatter.SubscribeToDisplayedValues(announced.Add);
        var handle = "starting…".Display();
        var first = Assert.Single(announced);
        Assert.NotEqual(first.DisplayId, handle.DisplayId);

        new LiveDisplay(handle).Update("step 10");
        var update = announced[^1];
        Assert.True(update.IsUpdated);
        Assert.Equal(first.DisplayId, update.DisplayId);
        Assert.Equal("step 10", update.Value);
    }
}
