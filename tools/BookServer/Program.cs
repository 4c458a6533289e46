// The book's GPT as an HTTP service: `dotnet artifacts/book-server/BookServer.dll --model <folder> [--port 0]
// [--max-batch 8] [--queue 32] [--policy continuous|static] [--threads 1] [--max-prompt 200] [--max-tokens 200]`.
// POST /generate streams server-sent events; GET /health and GET /stats report; POST /shutdown stops gracefully
// (so do Ctrl+C and SIGTERM): new requests are refused, accepted ones finish. GET /metrics serves the engine's meter
// (TransformersBook.Serving) in Prometheus's text format through OpenTelemetry. [--request-log F] appends one JSON line
// per request to F with the prompt redacted by PromptRedactor; [--trace-log F] appends one JSON line per request span.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using TorchSharp;
using OpenTelemetry.Metrics;
using TransformersBook.ModelFiles;
using TransformersBook.Monitoring;
using TransformersBook.Runtime;
using TransformersBook.Serving;

string? modelFolder = null, requestLogPath = null, traceLogPath = null;
int port = 0, maxBatch = 8, queueCapacity = 32, threads = 1, maxPrompt = int.MaxValue, maxTokens = int.MaxValue;
var policy = BatchingPolicy.Continuous;
for (int i = 0; i + 1 < args.Length; i += 2)
{
    int Number() => int.Parse(args[i + 1], CultureInfo.InvariantCulture);
    switch (args[i])
    {
        case "--model": modelFolder = args[i + 1]; break;
        case "--port": port = Number(); break;
        case "--max-batch": maxBatch = Number(); break;
        case "--queue": queueCapacity = Number(); break;
        case "--threads": threads = Number(); break;
        case "--max-prompt": maxPrompt = Number(); break;
        case "--max-tokens": maxTokens = Number(); break;
        case "--request-log": requestLogPath = args[i + 1]; break;
        case "--trace-log": traceLogPath = args[i + 1]; break;
        case "--policy": policy = Enum.Parse<BatchingPolicy>(args[i + 1], ignoreCase: true); break;
        default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
    }
}
if (modelFolder is null)
{
    Console.Error.WriteLine("usage: BookServer --model <folder written by GptFolder.Save> [--port 0] [--max-batch 8] [--queue 32] [--policy continuous|static] [--threads 1]");
    return 2;
}

// BookSetup loads libtorch as the book's other processes do; the server keeps to its share of the cores.
BookSetup.Start("book-server", 1234, output: null);
torch.set_num_threads(threads);
var (model, vocabulary) = GptFolder.Load(modelFolder);
using var engine = new BatchingEngine(model, vocabulary, new EngineOptions(maxBatch, queueCapacity, policy));
var limits = engine.Limits with
{
    MaxPromptCharacters = Math.Min(maxPrompt, engine.Limits.MaxPromptCharacters),
    MaxNewTokens = Math.Min(maxTokens, engine.Limits.MaxNewTokens),
};
var vocabularySet = new HashSet<char>(vocabulary);
engine.Start(() => torch.set_num_threads(threads));

// Logs are appended line by line under a lock (requests finish on many threads); a line is on disk when it is written.
var logLock = new object();
StreamWriter? OpenLog(string? path) => path is null ? null : new StreamWriter(path, append: true) { AutoFlush = true };
using var requestLog = OpenLog(requestLogPath);
using var traceLog = OpenLog(traceLogPath);
void WriteLine(StreamWriter? log, Dictionary<string, object?> fields)
{
    if (log is null) return;
    string line = JsonSerializer.Serialize(fields);
    lock (logLock) log.WriteLine(line);
}
using var spans = new ActivityListener
{
    ShouldListenTo = source => source.Name == ServingTelemetry.MeterName,
    Sample = (ref ActivityCreationOptions<ActivityContext> _) => traceLog is null ? ActivitySamplingResult.None : ActivitySamplingResult.AllDataAndRecorded,
    ActivityStopped = span => WriteLine(traceLog, new Dictionary<string, object?>
    {
        ["trace_id"] = span.TraceId.ToHexString(),
        ["span_id"] = span.SpanId.ToHexString(),
        ["name"] = span.OperationName,
        ["start_unix_s"] = span.StartTimeUtc.Subtract(DateTime.UnixEpoch).TotalSeconds,
        ["duration_s"] = span.Duration.TotalSeconds,
        ["tags"] = span.TagObjects.ToDictionary(t => t.Key, t => t.Value),
    }),
};
ActivitySource.AddActivityListener(spans);

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
// The engine's meter, read by OpenTelemetry and served on GET /metrics; no response caching, so each scrape is current.
builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
    .AddMeter(ServingTelemetry.MeterName)
    .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0));
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, port));
// A graceful shutdown waits for the accepted requests, however long their generations are.
builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromMinutes(10));
var app = builder.Build();
app.MapPrometheusScrapingEndpoint();
var lifetime = app.Lifetime;
// Shutdown begins: refuse new requests at once; the ones accepted keep streaming until done, and Kestrel waits for them.
lifetime.ApplicationStopping.Register(engine.StopAccepting);

app.MapGet("/health", () => Results.Json(new Dictionary<string, object>
{
    ["status"] = engine.IsStopping ? "stopping" : "ok",
    ["policy"] = policy.ToString().ToLowerInvariant(),
    ["max_batch"] = maxBatch,
    ["queue_capacity"] = queueCapacity,
}));
app.MapGet("/stats", () => Results.Json(engine.Statistics));
app.MapPost("/shutdown", () =>
{
    lifetime.StopApplication();
    return Results.Json(new Dictionary<string, string> { ["status"] = "stopping" }, statusCode: 202);
});
app.MapPost("/generate", async (HttpContext context) =>
{
    string body;
    using (var reader = new StreamReader(context.Request.Body))
        body = await reader.ReadToEndAsync(context.RequestAborted);
    var validation = RequestValidation.Parse(body, limits, vocabularySet);
    var received = DateTimeOffset.UtcNow;
    // The request log: never the raw prompt, only its redacted form (or the redacted body when it did not parse).
    void LogRequest(int status, int tokens) => WriteLine(requestLog, new Dictionary<string, object?>
    {
        ["time"] = received.ToString("O", CultureInfo.InvariantCulture),
        ["status"] = status,
        ["prompt"] = PromptRedactor.Redact(validation.Request?.Prompt ?? body),
        ["max_tokens"] = validation.Request?.MaxTokens,
        ["tokens"] = tokens,
    });
    if (!validation.IsValid)
    {
        LogRequest(400, 0);
        await Results.Json(new Dictionary<string, string> { ["error"] = validation.Error! }, statusCode: 400).ExecuteAsync(context);
        return;
    }
    var submitted = engine.Submit(validation.Request!, context.RequestAborted);
    if (submitted.Status == SubmitStatus.QueueFull)
    {
        LogRequest(429, 0);
        context.Response.Headers.RetryAfter = submitted.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        await Results.Json(new Dictionary<string, string> { ["error"] = $"The queue is full ({queueCapacity} waiting); retry after {submitted.RetryAfterSeconds} s." }, statusCode: 429).ExecuteAsync(context);
        return;
    }
    if (submitted.Status == SubmitStatus.ShuttingDown)
    {
        LogRequest(503, 0);
        await Results.Json(new Dictionary<string, string> { ["error"] = "The service is shutting down and accepts no new requests." }, statusCode: 503).ExecuteAsync(context);
        return;
    }
    var sequence = submitted.Sequence!;
    context.Response.ContentType = "text/event-stream";
    context.Response.Headers.CacheControl = "no-cache";
    try
    {
        int index = 0;
        await foreach (int token in sequence.Tokens.ReadAllAsync(context.RequestAborted))
        {
            string data = JsonSerializer.Serialize(new Dictionary<string, object> { ["index"] = index++, ["token"] = token, ["text"] = vocabulary[token].ToString() });
            await context.Response.WriteAsync($"event: token\ndata: {data}\n\n", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }
        var outcome = await sequence.Finished;
        string done = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["tokens"] = sequence.Generated.Count,
            ["text"] = engine.Decode(sequence.Generated),
            ["finish_reason"] = outcome == SequenceOutcome.Completed ? "length" : "cancelled",
        });
        await context.Response.WriteAsync($"event: done\ndata: {done}\n\n", context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        LogRequest(200, sequence.Generated.Count);
    }
    catch (OperationCanceledException)
    {
        // The client went away: the engine sees the same token and removes the sequence from the batch at its next step.
    }
});

await app.StartAsync();
var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
Console.WriteLine(ServingProcess.ListeningPrefix + address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal));
await app.WaitForShutdownAsync();
await engine.Drained.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
var final = engine.Statistics;
Console.WriteLine($"book-server stopped: {final.Accepted} accepted, {final.Completed} completed, {final.Cancelled} cancelled, {final.RejectedQueueFull} refused (queue full), {final.RejectedShuttingDown} refused (shutting down)");
return 0;
