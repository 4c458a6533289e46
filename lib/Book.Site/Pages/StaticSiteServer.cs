using System.Net;

namespace Book.Site;

/// <summary>
/// `book serve`: a small static file server on 127.0.0.1 for reading the rendered site locally. Serves GET and HEAD,
/// folders as their index.html, and the site's 404.html (with status 404) for anything missing.
/// A path prefix (default "/") lets tests check that the site also works below a sub-path.
/// </summary>
public sealed class StaticSiteServer : IAsyncDisposable
{
    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".mjs"] = "text/javascript; charset=utf-8",
        [".json"] = "application/json; charset=utf-8",
        [".ipynb"] = "application/x-ipynb+json",
        [".txt"] = "text/plain; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
        [".jpg"] = "image/jpeg",
        [".jpeg"] = "image/jpeg",
        [".gif"] = "image/gif",
        [".webp"] = "image/webp",
        [".ico"] = "image/x-icon",
        [".woff2"] = "font/woff2",
        [".woff"] = "font/woff",
        [".ttf"] = "font/ttf",
        [".map"] = "application/json; charset=utf-8",
    };

    private readonly string _root;
    private readonly string _prefix;
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;

    public StaticSiteServer(string siteFolder, int port, string pathPrefix = "/")
    {
        _root = Path.GetFullPath(siteFolder).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        _prefix = "/" + pathPrefix.Trim('/') + (pathPrefix.Trim('/').Length > 0 ? "/" : "");
        Port = port;
        _listener.Prefixes.Add($"http://127.0.0.1:{port}{_prefix}");
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}{_prefix}");

    /// <summary>Starts answering requests in the background; fails if the port is taken.</summary>
    public void Start()
    {
        if (!File.Exists(Path.Combine(_root, "index.html")))
        {
            throw new SiteRenderException($"{_root} has no index.html; run `book render` first.");
        }

        _listener.Start();
        _loop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>A port that was free a moment ago, for tests that need a server of their own.</summary>
    public static int FindFreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().WaitAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => RespondAsync(context));
        }
    }

    private async Task RespondAsync(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            var method = context.Request.HttpMethod;
            if (method is not ("GET" or "HEAD"))
            {
                response.StatusCode = 405;
                response.AddHeader("Allow", "GET, HEAD");
                return;
            }

            var (file, status) = Resolve(context.Request.Url!.AbsolutePath);
            response.StatusCode = status;
            if (status == 301)
            {
                // A folder's index.html links relative to the folder, so the URL must end in '/'.
                response.RedirectLocation = context.Request.Url.AbsolutePath + "/";
                return;
            }

            if (file is null)
            {
                return;
            }

            response.ContentType = ContentTypes.GetValueOrDefault(Path.GetExtension(file), "application/octet-stream");
            response.AddHeader("Cache-Control", "no-cache");
            await using var stream = File.OpenRead(file);
            response.ContentLength64 = stream.Length;
            if (method == "GET")
            {
                await stream.CopyToAsync(response.OutputStream);
            }
        }
        catch (Exception e) when (e is IOException or HttpListenerException)
        {
            // The reader closed the tab mid-transfer; nothing to do.
        }
        finally
        {
            response.Close();
        }
    }

    /// <summary>Maps a URL path to a file under the site folder; never outside it.</summary>
    private (string? File, int Status) Resolve(string urlPath)
    {
        var path = Uri.UnescapeDataString(urlPath);
        // A NUL or another control character is never part of a file name here: a bad request, not a missing page
        // (before this check "/%00" made the file lookup throw and the reader got an empty 200).
        if (path.Any(char.IsControl))
        {
            return (null, 400);
        }

        if (!path.StartsWith(_prefix, StringComparison.Ordinal))
        {
            return NotFound();
        }

        var relative = path[_prefix.Length..];
        var candidate = Path.GetFullPath(Path.Combine(_root, relative));
        if (!candidate.StartsWith(_root, StringComparison.Ordinal) && candidate + Path.DirectorySeparatorChar != _root)
        {
            return NotFound();
        }

        if (Directory.Exists(candidate))
        {
            if (!path.EndsWith('/'))
            {
                return (null, 301);
            }

            candidate = Path.Combine(candidate, "index.html");
        }

        return File.Exists(candidate) ? (candidate, 200) : NotFound();

        (string?, int) NotFound()
        {
            var page = Path.Combine(_root, "404.html");
            return (File.Exists(page) ? page : null, 404);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Close();
        if (_loop is not null)
        {
            await _loop;
        }

        _stopping.Dispose();
    }
}
