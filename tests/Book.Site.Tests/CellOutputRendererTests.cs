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
        Assert.Contains("Plotly.newPlot(\"chart-1\"", rendered.Html);
        Assert.Contains("delete layout.width", rendered.Html);
        Assert.Contains("\"height\":300", rendered.Html);
        // The notebook's own HTML (and the CDN it names) is not used.
        Assert.DoesNotContain("cdn.example", rendered.Html);
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
