using Microsoft.Playwright;

namespace Book.Site.Tests;

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserSite>
{
    public const string Name = "Browser";
}

/// <summary>
/// The fixture book rendered, served on 127.0.0.1 below /book/ (to prove relative links work under any path),
/// and a headless Chromium driven by Playwright. Started on first use, so skipped tests start nothing.
/// </summary>
public sealed class BrowserSite : IAsyncLifetime
{
    public const string PathPrefix = "/book/";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private RenderedFixtureSite? _site;
    private StaticSiteServer? _server;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public RenderedFixtureSite Site => _site ?? throw new InvalidOperationException("Call StartAsync first.");

    public Uri BaseAddress => _server?.BaseAddress ?? throw new InvalidOperationException("Call StartAsync first.");

    public async Task StartAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_browser is not null)
            {
                return;
            }

            if (!File.Exists(Chromium.ExecutablePath))
            {
                throw new InvalidOperationException(
                    $"CI=true but Chromium is missing at {Chromium.ExecutablePath}. Install it (apt-get install chromium) or point CHROMIUM_PATH at a Chromium binary; the browser tests cannot be skipped on CI.");
            }

            _site = new RenderedFixtureSite();
            _server = new StaticSiteServer(_site.SiteFolder, StaticSiteServer.FindFreePort(), PathPrefix);
            _server.Start();

            // Playwright's driver (node + its package) ships inside the NuGet package and is copied next to the
            // test assembly; only the browser comes from the system.
            _playwright = await Playwright.CreateAsync();
            _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Chromium.ExecutablePath,
                Headless = true,
                Args = Chromium.Arguments,
            });
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A fresh browser context (own storage) with every request recorded and remote ones blocked.</summary>
    public async Task<BrowserVisit> NewVisitAsync(ColorScheme colorScheme = ColorScheme.Light, ViewportSize? viewport = null)
    {
        await StartAsync();
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            ColorScheme = colorScheme,
            ViewportSize = viewport ?? new ViewportSize { Width = 1360, Height = 900 },
        });
        // CI runs these beside the chapter tests, whose libtorch threads spin on both cores: a local navigation has
        // been measured to take over 30 s there (Playwright's default), so a wait fails only after two minutes.
        context.SetDefaultTimeout(120_000);
        context.SetDefaultNavigationTimeout(120_000);
        return await BrowserVisit.StartAsync(context);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _site?.Dispose();
        _gate.Dispose();
    }
}
