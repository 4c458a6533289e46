namespace Book.Site.Tests;

/// <summary>
/// A small book on disk, laid out like the real one: book.yml, chapters/ sources, executed copies under
/// build/notebooks/, and a Directory.Packages.props the setup cell agrees with. Its content exercises every kind of
/// output the site shows: math, C#, stream text, HTML, Plotly charts (both ways Plotly.NET emits them) and errors.
/// </summary>
public static class FixtureBook
{
    public const string Preface = "chapters/00-getting-started/00-preface.ipynb";
    public const string Attention = "chapters/01-foundations/01-attention.ipynb";
    public const string Softmax = "chapters/01-foundations/02-softmax.ipynb";

    /// <summary>The div id Plotly.NET would generate (a GUID) for the attention-weights chart.</summary>
    public const string ChartId = "3f2a9c1e-4b7d-4e8a-9c2f-1a2b3c4d5e6f";

    /// <summary>The chart Plotly.NET emits in RequireJS form, which would fetch RequireJS and Plotly from CDNs.</summary>
    public const string RequireChartId = "b81c3a57-0d2e-4f61-a9b4-7c5e2d1f0a93";

    public const string SetupCell = """
        #r "nuget: Plotly.NET, 6.0.0"
        #r "nuget: Plotly.NET.CSharp, 0.14.0"
        #r "../../artifacts/Book.Kernel/Book.Kernel.dll"
        """;

    public const string BookYml = """
        title: "Attention, in C#"
        subtitle: "An executable book about transformers"
        parts:
          - title: "Getting started"
            chapters:
              - title: "Preface"
                file: chapters/00-getting-started/00-preface.ipynb
          - title: "Foundations of attention and transformers"
            chapters:
              - title: "Scaled dot-product attention"
                file: chapters/01-foundations/01-attention.ipynb
              - title: "Softmax, carefully"
                file: chapters/01-foundations/02-softmax.ipynb
        """;

    public const string PackagesProps = """
        <Project>
          <ItemGroup>
            <PackageVersion Include="Plotly.NET" Version="6.0.0" />
            <PackageVersion Include="Plotly.NET.CSharp" Version="0.14.0" />
          </ItemGroup>
        </Project>
        """;

    public static readonly FixtureNotebook PrefaceNotebook = new FixtureNotebook()
        .Markdown("# Preface\n\nThis book builds a transformer from scratch in C#, one runnable chapter at a time.\n\n## How to read it\n\nRun every cell; change the numbers; watch what happens.")
        .Code(SetupCell);

    public static readonly FixtureNotebook AttentionNotebook = new FixtureNotebook()
        .Markdown("""
            # Scaled dot-product attention

            Attention mixes values by how well queries match keys: $\mathrm{softmax}(QK^\top / \sqrt{d_k})\,V$, where $d_k$ is the key width.

            $$
            \mathrm{Attention}(Q, K, V) = \mathrm{softmax}\left(\frac{QK^\top}{\sqrt{d_k}}\right) V
            $$

            ## Queries, keys and values

            Each token asks a question (its query) and offers an answer (its key and value).
            Rotary embeddings (RoPE) turn each query and key by an angle set by its position.
            See [the softmax chapter](02-softmax.ipynb) for the normalisation.
            """)
        .Code(SetupCell, FixtureNotebook.Stream("stdout", "Installed Plotly.NET 6.0.0\n"))
        .Code(
            """
            var scores = new double[] { 2.0, 1.0, 0.1 };
            Console.WriteLine($"{scores.Length} scores");
            Console.WriteLine("<script>alert('not markup')</script> & <b>also text</b>");
            """,
            FixtureNotebook.Stream("stdout", "3 scores\n"),
            FixtureNotebook.Stream("stdout", "<script>alert('not markup')</script> & <b>also text</b>\n"),
            FixtureNotebook.Stream("stderr", "warning: scores are not normalised\n"))
        .Code(
            "var progress = trainer.Fit(steps: 300);",
            FixtureNotebook.Display(("text/html", ProgressHtml), ("text/plain", "step 300/300 · loss 2.435 · done")))
        .Markdown("### A first weight table")
        .Code(
            "weights.Display();",
            FixtureNotebook.Display(
                ("text/html", "<table class=\"weights\"><thead><tr><th>token</th><th>weight</th></tr></thead><tbody><tr><td>the</td><td>0.66</td></tr><tr><td>cat</td><td>0.24</td></tr></tbody></table>"),
                ("text/plain", "weights: [0.66, 0.24, 0.10]")))
        .Markdown("## Seeing the weights")
        .Code(
            "Chart2D.Chart.Heatmap<double, string, string, string>(weights, X: tokens, Y: tokens)",
            FixtureNotebook.Result(("text/html", PlotlyNetChart(ChartId)), ("text/plain", "Plotly.NET.GenericChart")))
        .Markdown("## When things go wrong")
        .Code(
            "var q = new double[2, 3]; var k = new double[4, 5]; MatMul(q, k);",
            FixtureNotebook.Error(
                "InvalidOperationException",
                "Shapes (2, 3) and (4, 5) cannot be multiplied",
                "\u001b[0;31mSystem.InvalidOperationException: Shapes (2, 3) and (4, 5) cannot be multiplied\u001b[0m",
                "   at Submission#3.MatMul(Double[,] a, Double[,] b) in chapters/01-foundations/01-attention.ipynb, cell 6, line 1"))
        .Markdown("## Summary\n\nAttention is a weighted average whose weights are computed, not learned directly.");

    public static readonly FixtureNotebook SoftmaxNotebook = new FixtureNotebook()
        .Markdown("""
            # Softmax, carefully

            Subtract the maximum before exponentiating: $\mathrm{softmax}(x)_i = e^{x_i - m} / \sum_j e^{x_j - m}$ with $m = \max_j x_j$.

            ## Overflow

            `Math.Exp(1000)` is infinity; shifting by the maximum keeps every exponent at most zero. That relies on a
            property of softmax: adding one constant to every score changes nothing.
            Back to [attention](01-attention.ipynb#queries-keys-and-values).
            """)
        .Code(SetupCell)
        .Code(
            "double[] Softmax(double[] x) { var m = x.Max(); var e = x.Select(v => Math.Exp(v - m)).ToArray(); var s = e.Sum(); return e.Select(v => v / s).ToArray(); }\nSoftmax(new[] { 1000.0, 1000.0 })",
            FixtureNotebook.Result(("text/plain", "double[2] { 0.5, 0.5 }")))
        .Markdown("## Temperature")
        .Code(
            "Chart2D.Chart.Line<double, double, string>(temperatures, entropies)",
            FixtureNotebook.Display(("text/html", PlotlyNetRequireChart(RequireChartId)), ("text/plain", "Plotly.NET.GenericChart")))
        .Code(
            "Plots.Line(wide, gap, \"GELU_tanh − GELU\", \"The tanh approximation's error\", \"x\", \"difference\")",
            FixtureNotebook.DisplayJson("application/vnd.plotly.v1+json", WideLineFigure()))
        .Markdown("## Summary\n\nA stable softmax costs one extra pass over the scores.");

    /// <summary>The library's progress display as it ends (TrainingProgress), with its inline colours for a white page.</summary>
    public const string ProgressHtml = "<div class=\"book-progress\" style=\"font-family:system-ui,sans-serif;font-size:13px;max-width:720px\"><div style=\"background:#e5e7eb;border-radius:4px;height:10px;overflow:hidden\"><div style=\"width:100%;background:#16a34a;height:10px\"></div></div><div style=\"margin-top:4px;color:#374151\">step 300/300 &#183; loss 2.435 &#183; eval 2.434 &#183; done</div></div>";

    /// <summary>The points the line chart of <see cref="WideLineFigure"/> has, as in the feed-forward chapter's 526 KB chart.</summary>
    public const int WideLinePoints = 16_001;

    /// <summary>
    /// A figure as the library's Plots.Line writes it, in the book's white style, with 16,001 points whose values are
    /// doubles printed to 17 digits: the shape of the largest chart in the book.
    /// </summary>
    public static System.Text.Json.Nodes.JsonObject WideLineFigure()
    {
        var x = new System.Text.Json.Nodes.JsonArray();
        var y = new System.Text.Json.Nodes.JsonArray();
        for (var i = 0; i < WideLinePoints; i++)
        {
            var at = -8 + (16.0 * i / (WideLinePoints - 1));
            x.Add(at);
            y.Add(Math.Exp(-at * at / 2) * 1e-4 / 3 + 1e-15);
        }

        return (System.Text.Json.Nodes.JsonObject)System.Text.Json.Nodes.JsonNode.Parse($$$"""
            {"data":[{"type":"scatter","x":{{{x.ToJsonString()}}},"y":{{{y.ToJsonString()}}},"name":"GELU_tanh − GELU","showlegend":true,"mode":"lines","line":{"color":"#0072B2","width":2}},
                     {"type":"scatter","x":[-8,0,8],"y":[0,0.00004,0],"name":"reference","mode":"lines","line":{"color":"#000000","width":1}}],
             "layout":{"title":{"text":"The tanh approximation's error"},"height":420,"font":{"family":"Inter, Segoe UI, Helvetica, Arial, sans-serif","size":13,"color":"#1f2937"},
                       "paper_bgcolor":"#ffffff","plot_bgcolor":"#ffffff","margin":{"l":64,"r":24,"t":56,"b":56},"hovermode":"closest",
                       "xaxis":{"title":{"text":"x"},"showgrid":true,"gridcolor":"#e5e7eb","zeroline":false,"showline":true,"linecolor":"#9ca3af","automargin":true},
                       "yaxis":{"title":{"text":"difference"},"showgrid":true,"gridcolor":"#e5e7eb","zeroline":false,"showline":true,"linecolor":"#9ca3af","automargin":true}},
             "config":{"responsive":true,"displaylogo":false}}
            """)!;
    }

    /// <summary>Writes the whole book under <paramref name="root"/>; the preface has no executed copy, on purpose.</summary>
    public static void WriteTo(string root, bool withExecutedCopies = true)
    {
        File.WriteAllText(Path.Combine(root, "book.yml"), BookYml);
        File.WriteAllText(Path.Combine(root, "Directory.Packages.props"), PackagesProps);
        FixtureNotebook.Write(Path.Combine(root, Preface), PrefaceNotebook.ToSource());
        FixtureNotebook.Write(Path.Combine(root, Attention), AttentionNotebook.ToSource());
        FixtureNotebook.Write(Path.Combine(root, Softmax), SoftmaxNotebook.ToSource());
        if (withExecutedCopies)
        {
            FixtureNotebook.Write(Path.Combine(root, "build", "notebooks", Attention), AttentionNotebook.ToExecuted());
            FixtureNotebook.Write(Path.Combine(root, "build", "notebooks", Softmax), SoftmaxNotebook.ToExecuted());
        }
    }

    /// <summary>Plotly.NET's GenericChart.toChartHTML with the plain script reference: a div and a script that expects a global Plotly.</summary>
    public static string PlotlyNetChart(string id) => PlotlyNetTemplate("""
        <div>
            <div id="[ID]"><!-- Plotly chart will be drawn inside this DIV --></div>
        <script type="text/javascript">

                    var renderPlotly_[SCRIPTID] = function() {
                    var data = [{"type":"heatmap","z":[[0.66,0.24,0.1],[0.1,0.8,0.1],[0.2,0.3,0.5]],"x":["the","cat","sat"],"y":["the","cat","sat"],"colorscale":"Viridis"}];
                    var layout = {"width":560,"height":420,"title":{"text":"Attention weights"},"template":{"layout":{"paper_bgcolor":"white","plot_bgcolor":"white"}}};
                    var config = {"responsive":true};
                    Plotly.newPlot('[ID]', data, layout, config);
        };
                    renderPlotly_[SCRIPTID]();

        </script>
        </div>
        """, id);

    /// <summary>
    /// Plotly.NET's RequireJS form, plus the CDN script tag its "Full" reference adds: left alone, the page would
    /// load cdnjs and cdn.plot.ly. The site must render it from its own copy without a single remote request.
    /// </summary>
    public static string PlotlyNetRequireChart(string id) => PlotlyNetTemplate("""
        <script src="https://cdn.plot.ly/plotly-2.28.0.min.js" charset="utf-8"></script>
        <div>
            <div id="[ID]"><!-- Plotly chart will be drawn inside this DIV --></div>
        <script type="text/javascript">

                    var renderPlotly_[SCRIPTID] = function() {
                    var fsharpPlotlyRequire = requirejs.config({context:'fsharp-plotly',paths:{plotly:'https://cdn.plot.ly/plotly-2.28.0.min'}}) || require;
                    fsharpPlotlyRequire(['plotly'], function(Plotly) {
                    var data = [{"type":"scatter","mode":"lines","x":[0.25,0.5,1.0,2.0,4.0],"y":[0.02,0.31,0.8,1.02,1.09]}];
                    var layout = {"width":560,"height":360,"title":{"text":"Entropy by temperature"}};
                    var config = {"responsive":true};
                    Plotly.newPlot('[ID]', data, layout, config);
        });
        };
        if ((typeof(requirejs) !==  typeof(Function)) || (typeof(requirejs.config) !== typeof(Function))) {
            var script = document.createElement("script");
            script.setAttribute("charset", "utf-8");
            script.setAttribute("src", "https://cdnjs.cloudflare.com/ajax/libs/require.js/2.3.6/require.min.js");
            script.onload = function(){
                renderPlotly_[SCRIPTID]();
            };
            document.getElementsByTagName("head")[0].appendChild(script);
        }
        else {
            renderPlotly_[SCRIPTID]();
        }
        </script>
        </div>
        """, id);

    /// <summary>Fills Plotly.NET's placeholders the way it does: the div id, and the same id without dashes for the function name.</summary>
    private static string PlotlyNetTemplate(string template, string id) =>
        template.Replace("[SCRIPTID]", id.Replace("-", "")).Replace("[ID]", id);
}
