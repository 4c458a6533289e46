using Microsoft.Playwright;

namespace Book.Site.Tests;

/// <summary>
/// Every page of the repository's own book in Chromium: math typeset (no KaTeX error, no TeX left as text, no TeX
/// superscripts turned into markup), and nothing wider than a 375 px phone or running under "On this page" at 1280 px.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class RealBookBrowserTests(BrowserSite browser, RenderedRealBook book) : IClassFixture<RenderedRealBook>
{
    /// <summary>Text outside code, outputs and typeset math that still looks like TeX: a $ or a \command.</summary>
    private const string RawTexScript = """
        () => {
          const main = document.querySelector("main");
          const found = [];
          const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
          while (walker.nextNode()) {
            const node = walker.currentNode;
            if (node.parentElement.closest("pre, code, .katex, .math, script, style, .cell-outputs")) continue;
            if (/\$|\\[A-Za-z]+/.test(node.textContent)) found.push(node.textContent.trim().slice(0, 120));
          }
          main.querySelectorAll(".math").forEach(math => { if (!math.querySelector(".katex")) found.push("untypeset: " + math.textContent.slice(0, 120)); });
          main.querySelectorAll(".katex-error").forEach(error => found.push("KaTeX error: " + error.getAttribute("title")));
          main.querySelectorAll("sup, sub").forEach(element => {
            if (!element.closest(".katex, .footnote-ref, .cell-outputs")) found.push("markup from TeX: " + element.outerHTML.slice(0, 120));
          });
          return found;
        }
        """;

    /// <summary>Elements that stick out of the page (or, with a left edge given, past it) and no scrolling box clips.</summary>
    private const string OverflowScript = """
        (edge) => {
          const clipped = element => {
            for (let parent = element.parentElement; parent && parent !== document.body; parent = parent.parentElement) {
              if (getComputedStyle(parent).overflowX !== "visible") return true;
            }
            return false;
          };
          const limit = edge > 0 ? edge : document.documentElement.clientWidth;
          const found = [];
          if (edge <= 0 && document.documentElement.scrollWidth > document.documentElement.clientWidth) {
            found.push(`page is ${document.documentElement.scrollWidth} px wide in a ${document.documentElement.clientWidth} px window`);
          }
          document.querySelectorAll(edge > 0 ? "main *" : "body *").forEach(element => {
            const box = element.getBoundingClientRect();
            if (box.width > 0 && box.right > limit + 1 && !clipped(element)) {
              found.push(`${element.tagName.toLowerCase()}.${element.getAttribute("class") || ""} reaches ${Math.round(box.right)} px: ${(element.textContent || "").trim().slice(0, 80)}`);
            }
          });
          return found.slice(0, 10);
        }
        """;

    [BrowserFact]
    public async Task Every_chapter_has_its_math_typeset_and_no_TeX_left_as_text()
    {
        await using var visit = await browser.NewVisitAsync();
        var problems = new List<string>();
        foreach (var page in book.Result.Pages.Where(p => p.StartsWith("chapters/", StringComparison.Ordinal)))
        {
            await visit.GotoAsync(book.FileUrl(page));
            problems.AddRange((await visit.Page.EvaluateAsync<string[]>(RawTexScript)).Select(problem => $"{page}: {problem}"));
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.Empty(visit.Errors);
    }

    [BrowserFact]
    public async Task No_page_is_wider_than_a_375_px_phone()
    {
        await using var visit = await browser.NewVisitAsync(viewport: new ViewportSize { Width = 375, Height = 800 });
        var problems = new List<string>();
        foreach (var page in book.Result.Pages)
        {
            await visit.GotoAsync(book.FileUrl(page));
            problems.AddRange((await visit.Page.EvaluateAsync<string[]>(OverflowScript, 0)).Select(problem => $"{page}: {problem}"));
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [BrowserFact]
    public async Task At_1280_px_nothing_in_the_text_runs_under_On_this_page()
    {
        await using var visit = await browser.NewVisitAsync(viewport: new ViewportSize { Width = 1280, Height = 900 });
        var problems = new List<string>();
        var checkedPages = 0;
        foreach (var page in book.Result.Pages.Where(p => p.StartsWith("chapters/", StringComparison.Ordinal)))
        {
            await visit.GotoAsync(book.FileUrl(page));
            var toc = visit.Page.Locator(".page-toc");
            if (await toc.CountAsync() == 0 || !await toc.IsVisibleAsync())
            {
                continue;
            }

            checkedPages++;
            var left = await toc.EvaluateAsync<double>("e => e.getBoundingClientRect().left");
            problems.AddRange((await visit.Page.EvaluateAsync<string[]>(OverflowScript, left)).Select(problem => $"{page}: {problem}"));
        }

        Assert.True(checkedPages > 0, "no chapter showed \"On this page\" at 1280 px");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
