using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace TransformersBook.Monitoring;

/// <summary>
/// A Prometheus server (the <c>prometheus</c> program, e.g. Debian's /usr/bin/prometheus) run as a child process that
/// scrapes one target: <see cref="Start"/> writes prometheus.yml and a data folder under a folder of the caller's,
/// listens on a free port of 127.0.0.1 and waits until /-/ready answers. <see cref="QueryAsync"/> evaluates PromQL at
/// one instant through the HTTP API (GET /api/v1/query) and <see cref="QueryRangeAsync"/> over a time range
/// (GET /api/v1/query_range).
/// </summary>
public sealed class PrometheusProcess : IDisposable
{
    /// <summary>Where Debian installs the program.</summary>
    public const string DefaultProgram = "/usr/bin/prometheus";

    readonly Process process;
    readonly List<string> output = new();

    PrometheusProcess(Process process, Uri address, string jobName)
    {
        this.process = process;
        Address = address;
        JobName = jobName;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.Add(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.Add(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Prometheus's base address.</summary>
    public Uri Address { get; }

    /// <summary>The scrape job's name (the <c>job</c> label of every scraped series).</summary>
    public string JobName { get; }

    /// <summary>A client for Prometheus's HTTP API.</summary>
    public HttpClient Client { get; }

    /// <summary>What Prometheus has logged so far.</summary>
    public string Output
    {
        get
        {
            lock (output) return string.Join('\n', output);
        }
    }

    /// <summary>Whether the program is installed at <paramref name="program"/>.</summary>
    /// <param name="program">Its path.</param>
    public static bool IsInstalled(string program = DefaultProgram) => File.Exists(program);

    /// <summary>A free TCP port on 127.0.0.1 (the operating system's choice).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The configuration file's text: one job scraping <paramref name="target"/> (host:port) at the interval.</summary>
    /// <param name="jobName">The job's name.</param>
    /// <param name="target">host:port of the service.</param>
    /// <param name="scrapeInterval">How often to scrape.</param>
    /// <param name="metricsPath">The path of the metrics page.</param>
    public static string Configuration(string jobName, string target, TimeSpan scrapeInterval, string metricsPath = "/metrics")
    {
        string interval = ((int)Math.Max(1, scrapeInterval.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture) + "ms";
        return $"""
            global:
              scrape_interval: {interval}
              evaluation_interval: {interval}
            scrape_configs:
              - job_name: {jobName}
                scrape_interval: {interval}
                scrape_timeout: {interval}
                metrics_path: {metricsPath}
                static_configs:
                  - targets: ["{target}"]
            """;
    }

    /// <summary>Starts Prometheus scraping <paramref name="target"/> and waits until it is ready.</summary>
    /// <param name="folder">Its configuration and data go here (the data folder is emptied first).</param>
    /// <param name="target">host:port of the service to scrape.</param>
    /// <param name="scrapeInterval">How often to scrape.</param>
    /// <param name="jobName">The job's name.</param>
    /// <param name="program">The prometheus program.</param>
    /// <param name="timeout">How long to wait for readiness (default 30 s).</param>
    /// <exception cref="FileNotFoundException">The program is not installed.</exception>
    /// <exception cref="InvalidOperationException">It exited or was not ready in time (the message holds its log).</exception>
    public static PrometheusProcess Start(string folder, string target, TimeSpan scrapeInterval, string jobName = "book",
        string program = DefaultProgram, TimeSpan? timeout = null)
    {
        if (!File.Exists(program)) throw new FileNotFoundException($"Prometheus is not installed at {program} (Debian: apt-get install prometheus).", program);
        Directory.CreateDirectory(folder);
        string config = Path.Combine(folder, "prometheus.yml");
        string data = Path.Combine(folder, "data");
        if (Directory.Exists(data)) Directory.Delete(data, recursive: true);
        Directory.CreateDirectory(data);
        File.WriteAllText(config, Configuration(jobName, target, scrapeInterval));
        int port = FreePort();
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            "--config.file=" + config, "--storage.tsdb.path=" + data, $"--web.listen-address=127.0.0.1:{port}",
            "--storage.tsdb.retention.time=1d", "--log.level=warn",
        })
            start.ArgumentList.Add(argument);
        var process = Process.Start(start) ?? throw new InvalidOperationException("Prometheus did not start.");
        var prometheus = new PrometheusProcess(process, new Uri($"http://127.0.0.1:{port}/"), jobName);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < (timeout ?? TimeSpan.FromSeconds(30)))
        {
            if (process.HasExited) break;
            try
            {
                using var ready = prometheus.Client.GetAsync("-/ready").GetAwaiter().GetResult();
                if (ready.IsSuccessStatusCode) return prometheus;
            }
            catch (HttpRequestException)
            {
            }
            Thread.Sleep(100);
        }
        string log = prometheus.Output;
        prometheus.Dispose();
        throw new InvalidOperationException("Prometheus was not ready:\n" + log);
    }

    /// <summary>Evaluates an instant query; each series of the result as its labels and its value.</summary>
    /// <param name="promql">The PromQL expression.</param>
    /// <param name="time">The evaluation time (null: now).</param>
    public async Task<IReadOnlyList<PrometheusSample>> QueryAsync(string promql, DateTimeOffset? time = null)
    {
        string url = "api/v1/query?query=" + Uri.EscapeDataString(promql);
        if (time is { } t) url += "&time=" + UnixSeconds(t);
        using var json = JsonDocument.Parse(await Client.GetStringAsync(url).ConfigureAwait(false));
        var data = Data(json, promql);
        var result = new List<PrometheusSample>();
        if (data.GetProperty("resultType").GetString() == "scalar")
        {
            var v = data.GetProperty("result");
            result.Add(new PrometheusSample(new Dictionary<string, string>(), v[0].GetDouble(), Value(v[1])));
            return result;
        }
        foreach (var series in data.GetProperty("result").EnumerateArray())
        {
            var value = series.GetProperty("value");
            result.Add(new PrometheusSample(Labels(series), value[0].GetDouble(), Value(value[1])));
        }
        return result;
    }

    /// <summary>The single value of an instant query, or NaN when it returns no series.</summary>
    /// <param name="promql">A PromQL expression that returns at most one series.</param>
    /// <param name="time">The evaluation time (null: now).</param>
    public async Task<double> ScalarAsync(string promql, DateTimeOffset? time = null)
    {
        var samples = await QueryAsync(promql, time).ConfigureAwait(false);
        if (samples.Count > 1) throw new InvalidOperationException($"{promql} returned {samples.Count} series.");
        return samples.Count == 0 ? double.NaN : samples[0].Value;
    }

    /// <summary>Evaluates a range query: for each series, its (unix seconds, value) points from start to end every step.</summary>
    /// <param name="promql">The PromQL expression.</param>
    /// <param name="start">The first evaluation time.</param>
    /// <param name="end">The last.</param>
    /// <param name="step">The step.</param>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, IReadOnlyList<(double Time, double Value)> Points)>> QueryRangeAsync(
        string promql, DateTimeOffset start, DateTimeOffset end, TimeSpan step)
    {
        string url = "api/v1/query_range?query=" + Uri.EscapeDataString(promql) + "&start=" + UnixSeconds(start) + "&end=" + UnixSeconds(end)
            + "&step=" + step.TotalSeconds.ToString("R", CultureInfo.InvariantCulture);
        using var json = JsonDocument.Parse(await Client.GetStringAsync(url).ConfigureAwait(false));
        var result = new List<(IReadOnlyDictionary<string, string>, IReadOnlyList<(double, double)>)>();
        foreach (var series in Data(json, promql).GetProperty("result").EnumerateArray())
        {
            var points = series.GetProperty("values").EnumerateArray().Select(v => (v[0].GetDouble(), Value(v[1]))).ToList();
            result.Add((Labels(series), points));
        }
        return result;
    }

    /// <summary>Stops Prometheus (it is killed: its data folder is scratch).</summary>
    public void Dispose()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }
        }
        catch (InvalidOperationException)
        {
        }
        process.Dispose();
        Client.Dispose();
    }

    /// <summary>Whether the process is still running.</summary>
    public bool IsRunning => !process.HasExited;

    static string UnixSeconds(DateTimeOffset t) => (t.ToUnixTimeMilliseconds() / 1000.0).ToString("F3", CultureInfo.InvariantCulture);

    static double Value(JsonElement element) => element.GetString() switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        var text => double.Parse(text!, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    static IReadOnlyDictionary<string, string> Labels(JsonElement series) =>
        series.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);

    static JsonElement Data(JsonDocument json, string promql)
    {
        if (json.RootElement.GetProperty("status").GetString() != "success")
            throw new InvalidOperationException($"Prometheus refused {promql}: {json.RootElement}");
        return json.RootElement.GetProperty("data");
    }
}

/// <summary>One series of an instant query's result.</summary>
/// <param name="Labels">Its labels (__name__ among them for a raw series).</param>
/// <param name="Time">The evaluation time, unix seconds.</param>
/// <param name="Value">Its value (NaN and ±Inf as Prometheus writes them).</param>
public sealed record PrometheusSample(IReadOnlyDictionary<string, string> Labels, double Time, double Value);
