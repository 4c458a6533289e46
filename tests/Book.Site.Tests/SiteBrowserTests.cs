using Microsoft.Playwright;

namespace Book.Site.Tests;

/// <summary>The rendered fixture book in headless Chromium, served from 127.0.0.1 below /book/ (and once from file://).</summary>
[Collection(BrowserCollection.Name)]
public sealed class SiteBrowserTests(BrowserSite browser)
{
    private const string AttentionPage = "chapters/01-foundations/01-attention.html";
    private const string SoftmaxPage = "chapters/01-foundations/02-softmax.html";

    private async Task<string> Url(string sitePath)
    {
        await browser.StartAsync();
        return new Uri(browser.BaseAddress, sitePath).ToString();
    }

    [BrowserFact]
    public async Task Every_page_loads_without_errors_and_every_request_stays_on_127_0_0_1()
    {
        await browser.StartAsync();
        foreach (var page in browser.Site.Result.Pages)
        {
            await using var visit = await browser.NewVisitAsync();

            var response = await visit.GotoAsync(await Url(page));

            Assert.Equal(200, response!.Status);
            Assert.True(visit.Errors.Count == 0, $"{page}: {string.Join("\n", visit.Errors)}");
            visit.AssertNoErrorsAndOnlyLocalRequests();
            Assert.Contains(visit.Requests, url => url.EndsWith("/book/assets/theme/book.css", StringComparison.Ordinal));
        }
    }

    [BrowserFact]
    public async Task Math_is_typeset_by_KaTeX()
    {
        await using var visit = await browser.NewVisitAsync();
        await visit.GotoAsync(await Url(AttentionPage));

        Assert.True(await visit.Page.Locator(".chapter .katex").CountAsync() >= 3);
        Assert.Equal(1, await visit.Page.Locator(".chapter .katex-display").CountAsync());
        Assert.Equal(0, await visit.Page.Locator(".katex-error").CountAsync());
        visit.AssertNoErrorsAndOnlyLocalRequests();
    }

    [BrowserFact]
    public async Task Plotly_charts_are_drawn_from_the_local_copy_in_both_Plotly_NET_forms()
    {
        await using var visit = await browser.NewVisitAsync();

        await visit.GotoAsync(await Url(AttentionPage));
        await visit.Page.Locator($"[id='{FixtureBook.ChartId}'] svg.main-svg").First.WaitForAsync();
        await visit.GotoAsync(await Url(SoftmaxPage));
        await visit.Page.Locator($"[id='{FixtureBook.RequireChartId}'] svg.main-svg").First.WaitForAsync();

        Assert.Contains(visit.Requests, url => url.EndsWith("/book/assets/plotly/plotly.min.js", StringComparison.Ordinal));
        visit.AssertNoErrorsAndOnlyLocalRequests();
    }

    [BrowserFact]
    public async Task CSharp_code_is_highlighted()
    {
        await using var visit = await browser.NewVisitAsync();
        await visit.GotoAsync(await Url(AttentionPage));

        Assert.True(await visit.Page.Locator(".cell-code code.hljs .hljs-keyword").CountAsync() > 0);
        Assert.Equal("var", await visit.Page.Locator("#cell-3 code .hljs-keyword").First.TextContentAsync());
    }

    [BrowserFact]
    public async Task Next_and_previous_links_walk_the_book_in_order()
    {
        await using var visit = await browser.NewVisitAsync();
        var page = visit.Page;
        await visit.GotoAsync(await Url("index.html"));

        await page.GetByRole(AriaRole.Link, new() { Name = "Start reading" }).ClickAsync();
        Assert.Equal("Preface", await page.Locator("h1").TextContentAsync());
        Assert.Equal(0, await page.Locator("a[rel=prev]").CountAsync());

        await page.Locator("a[rel=next]").ClickAsync();
        Assert.Equal("Scaled dot-product attention", await page.Locator("h1").TextContentAsync());

        await page.Locator("a[rel=next]").ClickAsync();
        Assert.Equal("Softmax, carefully", await page.Locator("h1").TextContentAsync());
        Assert.Equal(0, await page.Locator("a[rel=next]").CountAsync());

        await page.Locator("a[rel=prev]").ClickAsync();
        Assert.EndsWith("/book/" + AttentionPage, page.Url);
        visit.AssertNoErrorsAndOnlyLocalRequests();
    }

    [BrowserFact]
    public async Task The_sidebar_and_page_contents_navigate()
    {
        await using var visit = await browser.NewVisitAsync();
        var page = visit.Page;
        await visit.GotoAsync(await Url("chapters/00-getting-started/00-preface.html"));

        await page.Locator(".sidebar").GetByRole(AriaRole.Link, new() { Name = "Scaled dot-product attention" }).ClickAsync();
        Assert.EndsWith("/book/" + AttentionPage, page.Url);
        Assert.Equal("page", await page.Locator(".sidebar a", new() { HasText = "Scaled dot-product attention" }).GetAttributeAsync("aria-current"));

        await page.Locator(".page-toc").GetByRole(AriaRole.Link, new() { Name = "Seeing the weights" }).ClickAsync();
        Assert.EndsWith("#seeing-the-weights", page.Url);
        Assert.True(await page.Locator("#seeing-the-weights").IsVisibleAsync());

        await page.Locator(".sidebar-home").ClickAsync();
        Assert.EndsWith("/book/index.html", page.Url);
        visit.AssertNoErrorsAndOnlyLocalRequests();
    }

    [BrowserFact]
    public async Task Search_finds_sections_across_chapters_and_opens_them()
    {
        await using var visit = await browser.NewVisitAsync();
        var page = visit.Page;
        await visit.GotoAsync(await Url(AttentionPage));

        await page.Keyboard.PressAsync("/");
        await page.Keyboard.TypeAsync("stable softmax");
        var results = page.Locator("#search-results a");
        await results.First.WaitForAsync();

        Assert.Equal(1, await results.CountAsync());
        Assert.Equal("Summary", await results.Locator(".search-title").TextContentAsync());
        Assert.Equal("Softmax, carefully", await results.Locator(".search-chapter").TextContentAsync());
        Assert.Equal("stable", await results.Locator(".search-snippet mark").First.TextContentAsync());

        await page.Keyboard.PressAsync("Enter");
        // Wait for the navigation to commit, not for the new page's load event: on a loaded CI machine the event can
        // trail far behind (plotly.js, fonts), and what this test checks is where Enter went; the next steps wait for
        // the elements they use.
        await page.WaitForURLAsync(url => url.EndsWith("/book/" + SoftmaxPage + "#summary", StringComparison.Ordinal),
            new() { WaitUntil = WaitUntilState.Commit });

        await page.Locator("#search-input").FillAsync("zebra crossing");
        await page.Locator(".search-empty").WaitForAsync();
        Assert.Contains("zebra crossing", await page.Locator(".search-empty").TextContentAsync());
        visit.AssertNoErrorsAndOnlyLocalRequests();
    }

    [BrowserFact]
    public async Task Dark_mode_toggles_is_remembered_and_follows_the_system_at_first()
    {
        await using (var visit = await browser.NewVisitAsync(ColorScheme.Light))
        {
            var page = visit.Page;
            await visit.GotoAsync(await Url(AttentionPage));
            var html = page.Locator("html");
            Assert.Equal("light", await html.GetAttributeAsync("data-theme"));
            var lightBackground = await page.EvaluateAsync<string>("getComputedStyle(document.body).backgroundColor");

            await page.Locator(".theme-toggle").ClickAsync();

            Assert.Equal("dark", await html.GetAttributeAsync("data-theme"));
            Assert.NotEqual(lightBackground, await page.EvaluateAsync<string>("getComputedStyle(document.body).backgroundColor"));
            await visit.GotoAsync(await Url("index.html"));
            Assert.Equal("dark", await html.GetAttributeAsync("data-theme"));

            await page.Locator(".theme-toggle").ClickAsync();
            await visit.GotoAsync(await Url(SoftmaxPage));
            Assert.Equal("light", await html.GetAttributeAsync("data-theme"));
            visit.AssertNoErrorsAndOnlyLocalRequests();
        }

        await using (var visit = await browser.NewVisitAsync(ColorScheme.Dark))
        {
            await visit.GotoAsync(await Url("index.html"));
            Assert.Equal("dark", await visit.Page.Locator("html").GetAttributeAsync("data-theme"));
        }
    }

    [BrowserFact]
    public async Task Missing_pages_get_the_styled_404_page_with_a_working_way_home()
    {
        await using var visit = await browser.NewVisitAsync();
        var page = visit.Page;

        var response = await visit.GotoAsync(await Url("chapters/01-foundations/03-renamed.html"));

        Assert.Equal(404, response!.Status);
        Assert.Equal("Page not found", await page.Locator("h1").TextContentAsync());
        Assert.Equal("sticky", await page.EvaluateAsync<string>("getComputedStyle(document.querySelector('.topbar')).position"));
        await page.GetByRole(AriaRole.Link, new() { Name = "table of contents" }).ClickAsync();
        Assert.EndsWith("/book/index.html", page.Url);
        Assert.Equal("Attention, in C#", await page.Locator("h1").TextContentAsync());
        Assert.All(visit.Requests, url => Assert.True(BrowserVisit.IsLocal(url), url));
        Assert.All(visit.Errors, error => Assert.Contains("404", error));
    }

    [BrowserFact]
    public async Task The_copy_button_puts_the_cell_source_on_the_clipboard()
    {
        await using var visit = await browser.NewVisitAsync();
        var page = visit.Page;
        await visit.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await visit.GotoAsync(await Url(AttentionPage));

        await page.Locator("#cell-3").HoverAsync();
        await page.Locator("#cell-3 .copy-button").ClickAsync();

        await Assertions.Expect(page.Locator("#cell-3 .copy-button")).ToHaveTextAsync("Copied");
        var copied = await page.EvaluateAsync<string>("navigator.clipboard.readText()");
        Assert.StartsWith("var scores = new double[] { 2.0, 1.0, 0.1 };", copied);
        Assert.EndsWith("Console.WriteLine(\"<script>alert('not markup')</script> & <b>also text</b>\");", copied);
        visit.AssertNoErrorsAndOnlyLocalRequests();
    }

    [BrowserFact]
    public async Task On_a_narrow_screen_the_chapters_open_in_a_drawer()
    {
        await using var visit = await browser.NewVisitAsync(viewport: new ViewportSize { Width = 400, Height = 800 });
        var page = visit.Page;
        await visit.GotoAsync(await Url(AttentionPage));
        var sidebarLink = page.Locator(".sidebar a", new() { HasText = "Preface" });

        Assert.False(await InViewport(sidebarLink));
        await page.Locator(".menu-toggle").ClickAsync();
        await page.WaitForFunctionAsync("document.querySelector('.sidebar').getBoundingClientRect().left >= 0");

        Assert.Equal("true", await page.Locator(".menu-toggle").GetAttributeAsync("aria-expanded"));
        await sidebarLink.ClickAsync();
        Assert.EndsWith("/book/chapters/00-getting-started/00-preface.html", page.Url);
        visit.AssertNoErrorsAndOnlyLocalRequests();

        static async Task<bool> InViewport(ILocator locator) =>
            await locator.EvaluateAsync<bool>("e => { const r = e.getBoundingClientRect(); return r.right > 0 && r.left < innerWidth; }");
    }

    [BrowserFact]
    public async Task Pages_opened_from_file_render_math_charts_and_search()
    {
        await browser.StartAsync();
        await using var visit = await browser.NewVisitAsync();
        var page = visit.Page;

        await visit.GotoAsync(new Uri(Path.Combine(browser.Site.SiteFolder, "chapters", "01-foundations", "01-attention.html")).AbsoluteUri);

        Assert.True(await page.Locator(".chapter .katex").CountAsync() >= 3);
        await page.Locator($"[id='{FixtureBook.ChartId}'] svg.main-svg").First.WaitForAsync();
        await page.Locator("#search-input").FillAsync("overflow");
        await page.Locator("#search-results a").First.WaitForAsync();
        Assert.Equal("Overflow", await page.Locator("#search-results .search-title").First.TextContentAsync());
        Assert.All(visit.Requests, url => Assert.StartsWith("file://", url));
        Assert.Empty(visit.Errors);
    }

    /// <summary>WCAG contrast of two CSS colours (rgb()/rgba() as getComputedStyle gives them), in the page.</summary>
    private const string ContrastScript = """
        ([foreground, background]) => {
          const channels = color => color.match(/[\d.]+/g).slice(0, 3).map(Number);
          const luminance = color => {
            const [r, g, b] = channels(color).map(v => v / 255).map(v => v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4));
            return 0.2126 * r + 0.7152 * g + 0.0722 * b;
          };
          const [a, b] = [luminance(foreground), luminance(background)].sort((x, y) => y - x);
          return (a + 0.05) / (b + 0.05);
        }
        """;

    private static async Task<double> Contrast(IPage page, string foreground, string background) =>
        await page.EvaluateAsync<double>(ContrastScript, new[] { foreground, background });

    private static async Task WaitForChartsAsync(IPage page)
    {
        await page.WaitForFunctionAsync("document.querySelectorAll('.js-plotly-plot').length > 0 && [...document.querySelectorAll('.js-plotly-plot')].every(p => p.querySelector('svg.main-svg .xtick text'))");
        // Themes are applied by relayout, which settles on the next frames.
        await page.WaitForTimeoutAsync(200);
    }

    [BrowserFact]
    public async Task Plotly_loads_deferred_and_charts_are_drawn_once_it_has_run()
    {
        await using var visit = await browser.NewVisitAsync();
        var page = visit.Page;
        await visit.GotoAsync(await Url(SoftmaxPage));

        Assert.Equal(1, await page.Locator("head script[src$='plotly.min.js'][defer]").CountAsync());
        Assert.Equal(0, await page.Locator("script[src$='plotly.min.js']:not([defer])").CountAsync());
        await WaitForChartsAsync(page);
        // Both charts: the Plotly.NET one (queued by the stand-in) and the figure JSON, all 16,001 points of it.
        Assert.Equal(2, await page.Locator(".js-plotly-plot").CountAsync());
        Assert.Equal(FixtureBook.WideLinePoints, await page.EvaluateAsync<int>("document.querySelector('.book-plot').calcdata[0].length"));
        Assert.Equal(8.0, await page.EvaluateAsync<double>("document.querySelector('.book-plot')._fullLayout.xaxis.range[1]"), 1);
        visit.AssertNoErrorsAndOnlyLocalRequests();
    }

    [BrowserFact]
    public async Task In_dark_mode_charts_are_transparent_with_readable_axes_and_follow_the_toggle()
    {
        await using var visit = await browser.NewVisitAsync(ColorScheme.Dark);
        var page = visit.Page;
        await visit.GotoAsync(await Url(SoftmaxPage));
        await WaitForChartsAsync(page);

        foreach (var theme in new[] { "dark", "light" })
        {
            Assert.Equal(theme, await page.Locator("html").GetAttributeAsync("data-theme"));
            var background = await page.EvaluateAsync<string>("getComputedStyle(document.body).backgroundColor");
            var plots = page.Locator(".js-plotly-plot");
            for (var i = 0; i < await plots.CountAsync(); i++)
            {
                var plot = plots.Nth(i);
                Assert.Equal("rgba(0, 0, 0, 0)", await plot.Locator("svg.main-svg").First.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));
                Assert.Equal("rgba(0, 0, 0, 0)", await plot.EvaluateAsync<string>("p => p._fullLayout.plot_bgcolor"));
                foreach (var text in new[] { ".xtick text", ".ytick text", ".gtitle" })
                {
                    var fill = await plot.Locator(text).First.EvaluateAsync<string>("e => getComputedStyle(e).fill");
                    var contrast = await Contrast(page, fill, background);
                    Assert.True(contrast >= 4.5, $"{theme}, chart {i}: {text} is {fill} on {background}, contrast {contrast:F2}");
                }
            }

            // The black reference line follows the text colour, so it does not vanish on the dark page.
            var line = await page.Locator(".book-plot .scatterlayer .trace").Nth(1).Locator("path.js-line").EvaluateAsync<string>("e => getComputedStyle(e).stroke");
            Assert.True(await Contrast(page, line, background) >= 4.5, $"{theme}: reference line {line} on {background}");

            await page.Locator(".theme-toggle").ClickAsync();
            await page.WaitForTimeoutAsync(300);
        }

        visit.AssertNoErrorsAndOnlyLocalRequests();
    }

    [BrowserFact]
    public async Task Progress_text_is_readable_in_both_themes()
    {
        foreach (var scheme in new[] { ColorScheme.Dark, ColorScheme.Light })
        {
            await using var visit = await browser.NewVisitAsync(scheme);
            var page = visit.Page;
            await visit.GotoAsync(await Url(AttentionPage));

            var text = page.Locator(".book-progress > div").Last;
            var color = await text.EvaluateAsync<string>("e => getComputedStyle(e).color");
            var background = await page.EvaluateAsync<string>("getComputedStyle(document.body).backgroundColor");
            var contrast = await Contrast(page, color, background);
            Assert.True(contrast >= 4.5, $"{scheme}: progress text {color} on {background}, contrast {contrast:F2}");
        }
    }

    [BrowserFact]
    public async Task Every_chart_has_a_text_alternative_from_its_title_and_axes()
    {
        await using var visit = await browser.NewVisitAsync();
        var page = visit.Page;
        var names = new List<string>();
        foreach (var chapter in new[] { AttentionPage, SoftmaxPage })
        {
            await visit.GotoAsync(await Url(chapter));
            await WaitForChartsAsync(page);
            names.AddRange(await page.EvaluateAsync<string[]>("""
                [...document.querySelectorAll('.js-plotly-plot')].map(p => {
                  const figure = p.closest('figure');
                  return (figure && figure.querySelector('figcaption') ? figure.querySelector('figcaption').textContent : p.getAttribute('aria-label')) || '';
                })
                """));
        }

        Assert.Equal(
            ["Chart: Attention weights.", "Chart: Entropy by temperature.",
             "Line chart: The tanh approximation's error. x axis: x; y axis: difference. 2 series: GELU_tanh − GELU, reference."],
            names);
    }

    [BrowserFact]
    public async Task Search_matches_whole_words_and_shows_math_as_text()
    {
        await using var visit = await browser.NewVisitAsync();
        var page = visit.Page;
        await visit.GotoAsync(await Url(AttentionPage));
        var results = page.Locator("#search-results a");

        await page.Locator("#search-input").FillAsync("RoPE");
        await results.First.WaitForAsync();
        Assert.Equal(["Queries, keys and values"], await results.Locator(".search-title").AllTextContentsAsync());
        Assert.Equal("RoPE", await results.Locator(".search-snippet mark").First.TextContentAsync());

        // "property" itself is found; "rope" inside it was not.
        await page.Locator("#search-input").FillAsync("property");
        await page.Locator("#search-results a .search-title", new() { HasText = "Overflow" }).WaitForAsync();

        await page.Locator("#search-input").FillAsync("exponentiating");
        await results.First.WaitForAsync();
        var snippet = await results.First.Locator(".search-snippet").TextContentAsync();
        Assert.Contains("softmax(x)_i = e^(x_i - m) / Σ_j e^(x_j - m)", snippet, StringComparison.Ordinal);
        Assert.DoesNotContain("\\", snippet);
        Assert.DoesNotContain("$", snippet);
        visit.AssertNoErrorsAndOnlyLocalRequests();
    }

    [BrowserFact]
    public async Task Download_gives_the_executed_notebook_as_a_file_over_http_and_from_file()
    {
        var executed = File.ReadAllText(Path.Combine((await Started()).Site.BookFolder, "build", "notebooks", FixtureBook.Attention));
        foreach (var address in new[] { await Url(AttentionPage), new Uri(Path.Combine(browser.Site.SiteFolder, "chapters", "01-foundations", "01-attention.html")).AbsoluteUri })
        {
            await using var visit = await browser.NewVisitAsync();
            var page = visit.Page;
            await visit.GotoAsync(address);

            var download = await page.RunAndWaitForDownloadAsync(() => page.Locator(".download-link").ClickAsync());

            Assert.Equal("01-attention.ipynb", download.SuggestedFilename);
            Assert.Equal(executed, File.ReadAllText((await download.PathAsync())!));
            // The page stays where it was: the notebook was saved, not opened as JSON.
            Assert.Equal(address, page.Url);
            Assert.Empty(visit.Errors);
        }
    }

    private async Task<BrowserSite> Started()
    {
        await browser.StartAsync();
        return browser;
    }
}
