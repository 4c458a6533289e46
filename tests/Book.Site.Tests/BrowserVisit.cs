using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace Book.Site.Tests;

/// <summary>
/// One browser context and page, recording console errors, uncaught exceptions and every request. Requests to any
/// host other than 127.0.0.1 are recorded and then aborted, so a leak shows up as a failure, never as a slow test.
/// </summary>
public sealed class BrowserVisit : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly ConcurrentQueue<string> _errors = new();

    private BrowserVisit(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    public IReadOnlyCollection<string> Requests => _requests;

    public IReadOnlyCollection<string> Errors => _errors;

    public static async Task<BrowserVisit> StartAsync(IBrowserContext context)
    {
        var page = await context.NewPageAsync();
        var visit = new BrowserVisit(context, page);
        context.Request += (_, request) => visit._requests.Enqueue(request.Url);
        await context.RouteAsync("**/*", route => IsLocal(route.Request.Url) ? route.ContinueAsync() : route.AbortAsync());
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                visit._errors.Enqueue($"console: {message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => visit._errors.Enqueue($"uncaught: {error}");
        return visit;
    }

    /// <summary>Loads a page and waits until it and its scripts are done (charts are drawn synchronously on load).</summary>
    public async Task<IResponse?> GotoAsync(string url)
    {
        var response = await Page.GotoAsync(url, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        await Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        return response;
    }

    public void AssertNoErrorsAndOnlyLocalRequests()
    {
        Assert.Empty(_errors);
        Assert.NotEmpty(_requests);
        Assert.All(_requests, url => Assert.True(IsLocal(url), $"request left 127.0.0.1: {url}"));
    }

    /// <summary>127.0.0.1 over HTTP, or the page's own files, inline data and blobs; anything else is another host.</summary>
    public static bool IsLocal(string url)
    {
        var uri = new Uri(url);
        return uri.Scheme switch
        {
            "http" or "https" => uri.Host == "127.0.0.1",
            "file" or "data" or "blob" => true,
            _ => false,
        };
    }

    public async ValueTask DisposeAsync() => await Context.CloseAsync();
}
