using System.Net;

namespace Book.Site.Tests;

public sealed class StaticSiteServerTests : IAsyncLifetime, IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly HttpClient _http = new(new HttpClientHandler { AllowAutoRedirect = false });
    private StaticSiteServer? _server;

    private string Site(params string[] parts) => _temp.Combine(["site", .. parts]);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Site());
        File.WriteAllText(Site("index.html"), "<!DOCTYPE html><title>home</title>");
        File.WriteAllText(Site("404.html"), "<!DOCTYPE html><title>missing</title>");
        Directory.CreateDirectory(Site("chapters", "01-foundations"));
        File.WriteAllText(Site("chapters", "01-foundations", "index.html"), "part");
        File.WriteAllText(Site("chapters", "01-foundations", "01 attention.ipynb"), "{}");
        Directory.CreateDirectory(Site("assets"));
        File.WriteAllText(Site("assets", "book.css"), "body{}");
        File.WriteAllText(Site("assets", "book.js"), "1");
        File.WriteAllBytes(Site("assets", "font.woff2"), [1, 2, 3]);
        File.WriteAllText(Site("assets", "logo.svg"), "<svg/>");
        File.WriteAllText(_temp.Combine("secret.txt"), "outside");
        _server = new StaticSiteServer(Site(), StaticSiteServer.FindFreePort(), "/book/");
        _server.Start();
        await Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _temp.Dispose();
    }

    private Task<HttpResponseMessage> Get(string path) => _http.GetAsync(new Uri(_server!.BaseAddress, path));

    [Theory]
    [InlineData("index.html", "text/html; charset=utf-8")]
    [InlineData("assets/book.css", "text/css; charset=utf-8")]
    [InlineData("assets/book.js", "text/javascript; charset=utf-8")]
    [InlineData("assets/font.woff2", "font/woff2")]
    [InlineData("assets/logo.svg", "image/svg+xml")]
    [InlineData("chapters/01-foundations/01%20attention.ipynb", "application/x-ipynb+json")]
    public async Task Files_are_served_with_their_content_type(string path, string contentType)
    {
        using var response = await Get(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType!.ToString());
    }

    [Fact]
    public async Task The_root_serves_index_html()
    {
        using var response = await Get("");

        Assert.Equal("<!DOCTYPE html><title>home</title>", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_folder_without_its_slash_is_redirected_so_relative_links_resolve()
    {
        using var response = await Get("chapters/01-foundations");

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal("/book/chapters/01-foundations/", response.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("chapters/nothing-here.html")]
    [InlineData("..%2Fsecret.txt")]
    [InlineData("assets/..%2F..%2Fsecret.txt")]
    public async Task Missing_or_outside_paths_get_the_404_page(string path)
    {
        using var response = await Get(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("<!DOCTYPE html><title>missing</title>", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/book/%00")]
    [InlineData("/book/index.html%00.css")]
    [InlineData("/book/chapters/%0A")]
    public async Task Paths_with_control_characters_are_bad_requests(string path)
    {
        using var response = await _http.GetAsync(new Uri($"http://127.0.0.1:{_server!.Port}{path}"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Head_has_no_body_and_other_methods_are_refused()
    {
        using var head = await _http.SendAsync(new HttpRequestMessage(HttpMethod.Head, new Uri(_server!.BaseAddress, "assets/book.css")));
        using var post = await _http.PostAsync(new Uri(_server.BaseAddress, "index.html"), new StringContent("x"));

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(6, head.Content.Headers.ContentLength);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
    }

    [Fact]
    public async Task A_folder_without_a_rendered_site_is_refused()
    {
        using var empty = new TempFolder();
        await using var server = new StaticSiteServer(empty.Path, StaticSiteServer.FindFreePort());

        var error = Assert.Throws<SiteRenderException>(server.Start);

        Assert.Contains("run `book render` first", error.Message);
    }
}
