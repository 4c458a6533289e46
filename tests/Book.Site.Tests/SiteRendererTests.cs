using System.Text.Json;
using System.Text.RegularExpressions;

namespace Book.Site.Tests;

/// <summary>The rendered fixture book, read as files: structure, links, escaping, outputs, search index.</summary>
public sealed class SiteRendererTests(RenderedFixtureSite site) : IClassFixture<RenderedFixtureSite>
{
    private const string PrefacePage = "chapters/00-getting-started/00-preface.html";
    private const string AttentionPage = "chapters/01-foundations/01-attention.html";
    private const string SoftmaxPage = "chapters/01-foundations/02-softmax.html";

    [Fact]
    public void Writes_every_page_the_search_index_and_the_assets()
    {
        Assert.Equal(["index.html", PrefacePage, AttentionPage, SoftmaxPage, "404.html"], site.Result.Pages);
        string[] expected =
        [
            "index.html", "404.html", PrefacePage, AttentionPage, SoftmaxPage, SiteRenderer.MarkerFile,
            "assets/search-index.js", "assets/katex/katex.min.js", "assets/katex/katex.min.css", "assets/katex/fonts/KaTeX_Main-Regular.woff2",
            "assets/katex/LICENSE", "assets/highlight/highlight.js", "assets/highlight/LICENSE", "assets/plotly/plotly.min.js", "assets/plotly/LICENSE",
            "assets/theme/book.css", "assets/theme/book.js", "assets/theme/plotly-require.js",
        ];
        Assert.All(expected, path => Assert.True(File.Exists(Path.Combine(site.SiteFolder, path)), $"{path} was not written"));
    }

    [Fact]
    public void A_chapter_without_an_executed_copy_is_rendered_from_its_source_with_a_warning()
    {
        Assert.Contains(site.Result.Warnings, w => w.StartsWith($"{FixtureBook.Preface}: no executed copy at build/notebooks/{FixtureBook.Preface}", StringComparison.Ordinal));
        Assert.Contains("This book builds a transformer from scratch in C#", site.Read(PrefacePage));
        Assert.DoesNotContain(site.Result.Warnings, w => w.StartsWith(FixtureBook.Attention + ": no executed copy", StringComparison.Ordinal));
    }

    [Fact]
    public void The_landing_page_lists_parts_and_chapters()
    {
        var html = site.Read("index.html");

        Assert.Contains("<h1>Attention, in C#</h1>", html);
        Assert.Contains("An executable book about transformers", html);
        Assert.Contains("<h2>Getting started</h2>", html);
        Assert.Contains("<h2>Foundations of attention and transformers</h2>", html);
        Assert.Contains($"<a href=\"{AttentionPage}\">Scaled dot-product attention</a>", html);
        Assert.Contains($"<a class=\"button\" href=\"{PrefacePage}\">Start reading</a>", html);
    }

    [Theory]
    [InlineData("index.html")]
    [InlineData("404.html")]
    [InlineData(PrefacePage)]
    [InlineData(AttentionPage)]
    [InlineData(SoftmaxPage)]
    public void Every_link_and_asset_reference_is_relative(string page)
    {
        var html = site.Read(page);
        var references = Regex.Matches(html, "\\b(?:src|href)=\"([^\"]*)\"").Select(m => m.Groups[1].Value).ToList();

        Assert.NotEmpty(references);
        Assert.All(references, url => Assert.DoesNotMatch("^(?:[a-z]+:|//|/)", url));
    }

    [Fact]
    public void Chapter_pages_reach_the_assets_through_their_own_depth()
    {
        var html = site.Read(AttentionPage);

        Assert.Contains("<link rel=\"stylesheet\" href=\"../../assets/katex/katex.min.css\">", html);
        Assert.Contains("<script src=\"../../assets/theme/book.js\" defer></script>", html);
        Assert.Contains("<body data-root=\"../../\">", html);
    }

    [Fact]
    public void Math_is_left_as_TeX_for_KaTeX_inline_and_display()
    {
        var html = site.Read(AttentionPage);

        Assert.Contains("<span class=\"math\">\\(\\mathrm{softmax}(QK^\\top / \\sqrt{d_k})\\,V\\)</span>", html);
        Assert.Matches("<div class=\"math\">\\s*\\\\\\[\\s*\\\\mathrm\\{Attention\\}", html);
    }

    [Fact]
    public void Code_cells_are_marked_as_csharp_with_a_copy_button_and_the_setup_cell_folds_away()
    {
        var html = site.Read(AttentionPage);

        Assert.Contains("<details class=\"cell cell-code cell-setup\" id=\"cell-2\">", html);
        Assert.Contains("<div class=\"cell cell-code\" id=\"cell-3\">", html);
        Assert.Contains("<pre><code class=\"language-csharp\">var scores = new double[] { 2.0, 1.0, 0.1 };", html);
        Assert.Equal(6, Regex.Matches(html, "class=\"copy-button\"").Count);
    }

    [Fact]
    public void Stream_text_is_escaped_and_consecutive_writes_are_merged()
    {
        var html = site.Read(AttentionPage);

        Assert.Contains("<div class=\"output output-stream output-stdout\"><pre>3 scores\n&lt;script&gt;alert(&#39;not markup&#39;)&lt;/script&gt; &amp; &lt;b&gt;also text&lt;/b&gt;\n</pre></div>", html);
        Assert.Contains("<div class=\"output output-stream output-stderr\"><pre>warning: scores are not normalised\n</pre></div>", html);
        Assert.DoesNotContain("<script>alert(", html);
    }

    [Fact]
    public void Html_outputs_are_inserted_as_they_are()
    {
        var html = site.Read(AttentionPage);

        Assert.Contains("<div class=\"output output-html\"><table class=\"weights\"><thead><tr><th>token</th>", html);
        Assert.DoesNotContain("weights: [0.66, 0.24, 0.10]", html);
    }

    [Fact]
    public void Plotly_charts_keep_their_script_and_only_chart_pages_load_Plotly()
    {
        var attention = site.Read(AttentionPage);

        Assert.Contains("<div class=\"output output-html output-chart\">", attention);
        Assert.Contains($"Plotly.newPlot('{FixtureBook.ChartId}', data, layout, config);", attention);
        // plotly.js is deferred (it is 4.6 MB); the small stand-in that queues the charts' calls runs first.
        var plotly = attention.IndexOf("<script src=\"../../assets/plotly/plotly.min.js\" defer></script>", StringComparison.Ordinal);
        Assert.InRange(plotly, 0, attention.IndexOf("</head>", StringComparison.Ordinal));
        var standIn = attention.IndexOf("<script src=\"../../assets/theme/plotly-require.js\"></script>", StringComparison.Ordinal);
        Assert.InRange(standIn, 0, plotly);
        Assert.InRange(attention.IndexOf("assets/theme/book.js\" defer", StringComparison.Ordinal), plotly, attention.IndexOf("</head>", StringComparison.Ordinal));
        Assert.DoesNotContain("plotly.min.js", site.Read(PrefacePage));
        Assert.DoesNotContain("plotly.min.js", site.Read("index.html"));
    }

    [Fact]
    public void The_largest_chart_stays_small_on_its_page()
    {
        var softmax = site.Read(SoftmaxPage);

        var figures = Regex.Matches(softmax, "<script type=\"application/json\" class=\"book-plot-figure\"[^>]*>(.*?)</script>", RegexOptions.Singleline);
        var figure = Assert.Single(figures).Groups[1].Value;
        Assert.True(figure.Length < 100_000, $"the chart of {FixtureBook.WideLinePoints} points takes {figure.Length} characters");
        Assert.True(softmax.Length < 150_000, $"the page is {softmax.Length} characters");
    }

    [Fact]
    public void Remote_scripts_in_outputs_are_removed_with_a_warning()
    {
        var softmax = site.Read(SoftmaxPage);

        Assert.DoesNotContain("<script src=\"https://cdn.plot.ly", softmax);
        Assert.Contains($"Plotly.newPlot('{FixtureBook.RequireChartId}'", softmax);
        Assert.Contains(site.Result.Warnings, w => w.StartsWith($"{FixtureBook.Softmax}, cell 5: removed <script src=\"https://cdn.plot.ly/plotly-2.28.0.min.js\">", StringComparison.Ordinal));
    }

    [Fact]
    public void Errors_are_styled_escaped_and_free_of_terminal_codes()
    {
        var html = site.Read(AttentionPage);
        var error = Regex.Match(html, "<div class=\"output output-error\"><pre>(.*?)</pre></div>", RegexOptions.Singleline);

        Assert.True(error.Success);
        Assert.StartsWith("<strong class=\"error-name\">InvalidOperationException</strong>: Shapes (2, 3) and (4, 5) cannot be multiplied\n", error.Groups[1].Value);
        Assert.Contains("at Submission#3.MatMul(Double[,] a, Double[,] b)", error.Groups[1].Value);
        Assert.DoesNotContain("\u001b", html, StringComparison.Ordinal);
        Assert.DoesNotContain("[0;31m", html);
    }

    [Theory]
    [InlineData(PrefacePage, null, "../../chapters/01-foundations/01-attention.html")]
    [InlineData(AttentionPage, "../../chapters/00-getting-started/00-preface.html", "02-softmax.html")]
    [InlineData(SoftmaxPage, "01-attention.html", null)]
    public void Previous_and_next_links_follow_book_order(string page, string? previous, string? next)
    {
        var html = site.Read(page);
        var prev = Regex.Match(html, "rel=\"prev\" href=\"([^\"]+)\"");
        var following = Regex.Match(html, "rel=\"next\" href=\"([^\"]+)\"");

        Assert.Equal(previous, prev.Success ? Simplify(page, prev.Groups[1].Value) : null);
        Assert.Equal(next, following.Success ? Simplify(page, following.Groups[1].Value) : null);
    }

    [Fact]
    public void The_sidebar_lists_every_chapter_and_marks_the_current_one()
    {
        var html = site.Read(SoftmaxPage);

        Assert.Contains("<a href=\"../../chapters/01-foundations/02-softmax.html\" aria-current=\"page\">Softmax, carefully</a>", html);
        Assert.Contains("<a href=\"../../chapters/00-getting-started/00-preface.html\">Preface</a>", html);
        Assert.Single(Regex.Matches(html, "aria-current=\"page\""));
    }

    [Fact]
    public void Page_contents_list_h2_and_h3_headings_that_exist_on_the_page()
    {
        var html = site.Read(AttentionPage);
        var entries = Regex.Matches(html, "<li class=\"toc-h(\\d)\"><a href=\"#([^\"]+)\">([^<]+)</a></li>")
            .Select(m => (Level: m.Groups[1].Value, Id: m.Groups[2].Value, Text: m.Groups[3].Value)).ToList();

        Assert.Equal(
            [("2", "queries-keys-and-values", "Queries, keys and values"), ("3", "a-first-weight-table", "A first weight table"),
             ("2", "seeing-the-weights", "Seeing the weights"), ("2", "when-things-go-wrong", "When things go wrong"), ("2", "summary", "Summary")],
            entries);
        Assert.All(entries, entry => Assert.Contains($"id=\"{entry.Id}\"", html));
    }

    [Fact]
    public void The_notebook_title_is_the_only_h1()
    {
        Assert.Single(Regex.Matches(site.Read(AttentionPage), "<h1"));
        Assert.Single(Regex.Matches(site.Read(PrefacePage), "<h1"));
    }

    [Fact]
    public void The_executed_notebook_is_offered_for_download_with_its_outputs()
    {
        var html = site.Read(AttentionPage);

        Assert.Contains("<a class=\"download-link\" href=\"../../chapters/01-foundations/01-attention.ipynb\" download=\"01-attention.ipynb\" type=\"application/x-ipynb+json\">Download the notebook (with outputs)</a>", html);
        var executed = File.ReadAllText(Path.Combine(site.BookFolder, "build", "notebooks", FixtureBook.Attention));
        Assert.Equal(executed, site.Read(FixtureBook.Attention));
        Assert.Contains("\"output_type\"", site.Read(FixtureBook.Attention));

        // The same text as a script, for pages opened from file://, where only scripts load.
        var script = site.Read(FixtureBook.Attention + ".js");
        Assert.StartsWith("window.bookReceiveNotebook(\"01-attention.ipynb\", ", script);
        var text = System.Text.Json.JsonDocument.Parse("[" + script["window.bookReceiveNotebook(".Length..script.LastIndexOf(')')] + "]").RootElement[1].GetString();
        Assert.Equal(executed, text);
    }

    [Fact]
    public void A_chapter_without_an_executed_copy_offers_its_source()
    {
        Assert.Contains("download=\"00-preface.ipynb\" type=\"application/x-ipynb+json\">Download the notebook</a>", site.Read(PrefacePage));
        Assert.Equal(File.ReadAllText(Path.Combine(site.BookFolder, FixtureBook.Preface)), site.Read(FixtureBook.Preface));
    }

    [Fact]
    public void Links_to_other_chapter_notebooks_point_at_their_pages()
    {
        Assert.Contains("<a href=\"02-softmax.html\">the softmax chapter</a>", site.Read(AttentionPage));
        Assert.Contains("<a href=\"01-attention.html#queries-keys-and-values\">attention</a>", site.Read(SoftmaxPage));
    }

    [Fact]
    public void The_search_index_has_a_section_per_heading_with_its_text_and_code()
    {
        var script = site.Read("assets/search-index.js");
        Assert.StartsWith("window.bookSearchIndex = ", script);
        using var json = JsonDocument.Parse(script["window.bookSearchIndex = ".Length..].TrimEnd().TrimEnd(';'));
        var entries = json.RootElement.GetProperty("entries").EnumerateArray()
            .Select(e => (Url: e.GetProperty("url").GetString()!, Title: e.GetProperty("title").GetString()!, Chapter: e.GetProperty("chapter").GetString()!, Text: e.GetProperty("text").GetString()!))
            .ToList();

        var queries = Assert.Single(entries, e => e.Url == AttentionPage + "#queries-keys-and-values");
        Assert.Equal(("Queries, keys and values", "Scaled dot-product attention"), (queries.Title, queries.Chapter));
        Assert.Contains("offers an answer", queries.Text);
        Assert.Contains("Console.WriteLine", queries.Text);
        Assert.Contains(entries, e => e.Url == SoftmaxPage + "#overflow" && e.Text.Contains("Math.Exp(1000)"));
        Assert.Contains(entries, e => e.Url == SoftmaxPage + "#softmax-carefully" && e.Text.Contains("Subtract the maximum"));
    }

    [Fact]
    public void The_not_found_page_sets_its_base_before_any_relative_url()
    {
        var html = site.Read("404.html");

        var baseScript = html.IndexOf("document.createElement(\"base\")", StringComparison.Ordinal);
        Assert.InRange(baseScript, 0, html.IndexOf("href=\"assets/", StringComparison.Ordinal));
        Assert.Contains("<h1>Page not found</h1>", html);
    }

    /// <summary>A relative link as written from <paramref name="page"/>, with "../../chapters/01-foundations/" shortened when it leads back to the same folder.</summary>
    private static string Simplify(string page, string href)
    {
        var folder = "../../" + page[..(page.LastIndexOf('/') + 1)];
        return href.StartsWith(folder, StringComparison.Ordinal) ? href[folder.Length..] : href;
    }
}
