using System.Text;
using System.Text.Json;
using TransformersBook.Serving;
using Xunit;

namespace TransformersBook.Tests;

/// <summary>
/// The real HTTP service (tools/BookServer) in its own process: tokens stream in order, each bad request gets its 400
/// and message, overload is refused with 429 and Retry-After while every accepted request completes, a client that
/// disconnects is cancelled, and shutdown finishes the accepted requests.
/// </summary>
[Collection(ProcessState.Name)]
public class ServingProcessTests
{
    public ServingProcessTests() => TestSetup.Initialize();

    static ServingProcess StartServer(TempFolder folder, EngineOptions options)
    {
        ServingTestModel.Save(folder.Path);
        return ServingProcess.Start(folder.Path, options);
    }

    static async Task<JsonElement> Stats(ServingProcess server) => JsonDocument.Parse(await server.StatsAsync()).RootElement;

    [Fact]
    public async Task Tokens_stream_in_order_as_events_and_equal_the_engine_alone()
    {
        using var folder = new TempFolder();
        using var server = StartServer(folder, new EngineOptions(4, 8));
        var request = new GenerationRequest("the cat", 20);
        var streamed = await GenerationClient.GenerateAsync(server.Client, GenerationClient.Body(request));
        Assert.True(streamed.CompletedInOrder, streamed.Error);
        Assert.Equal(Enumerable.Range(0, 20), streamed.Indices);
        using var engine = new BatchingEngine(ServingTestModel.Create(), ServingTestModel.Vocabulary, new EngineOptions(1, 1));
        var sequence = engine.Submit(request).Sequence!;
        while (engine.Step()) { }
        Assert.Equal(engine.Decode(sequence.Generated), streamed.Text);
        using var health = await server.Client.GetAsync("health");
        Assert.Equal(200, (int)health.StatusCode);
        Assert.Equal(0, await server.ShutdownAsync());
    }

    [Fact]
    public async Task Each_bad_request_gets_400_and_its_message()
    {
        using var folder = new TempFolder();
        using var server = StartServer(folder, new EngineOptions(2, 4));
        var cases = new (string Body, string Message)[]
        {
            ("{not json", "The body is not valid JSON"),
            ("{\"prompt\": \"\"}", "\"prompt\" is empty"),
            ("{\"prompt\": \"" + new string('a', 80) + "\"}", "\"prompt\" has 80 characters; the limit is 63."),
            ("{\"prompt\": \"abc\", \"temperature\": -0.5}", "\"temperature\" is -0.5; it must lie between 0 (greedy) and 5."),
            ("{\"prompt\": \"abc\", \"max_tokens\": 0}", "\"max_tokens\" is 0; it must lie between 1 and 63."),
            ("{\"prompt\": \"ABC\"}", "\"prompt\" contains 'A', which is not in the model's vocabulary."),
        };
        foreach (var (body, message) in cases)
        {
            var response = await GenerationClient.GenerateAsync(server.Client, body);
            Assert.Equal(400, response.Status);
            Assert.StartsWith(message, response.Error);
        }
        Assert.Equal(0, (await Stats(server)).GetProperty("accepted").GetInt64());
        await server.ShutdownAsync();
    }

    [Fact]
    public async Task Overload_is_refused_with_429_and_Retry_After_and_every_accepted_request_completes()
    {
        using var folder = new TempFolder();
        using var server = StartServer(folder, new EngineOptions(2, 3));
        var requests = Enumerable.Range(0, 24).Select(i => new GenerationRequest("abc", 30 + i % 5)).ToList();
        var burst = await LoadGenerator.BurstAsync(server.Client, requests);
        Assert.True(burst.Rejected > 0, "a burst of 24 into 2 places and a queue of 3 must be refused in part");
        Assert.All(burst.Requests.Where(r => r.Status == 429), r => Assert.True(r.RetryAfterSeconds >= 1));
        Assert.Equal(24, burst.Rejected + burst.Accepted.Count);
        Assert.Equal(burst.Accepted.Count, burst.CompletedInOrder);
        var stats = await Stats(server);
        Assert.Equal(burst.Accepted.Count, stats.GetProperty("accepted").GetInt64());
        Assert.Equal(burst.Accepted.Count, stats.GetProperty("completed").GetInt64());
        Assert.Equal(burst.Rejected, stats.GetProperty("rejectedQueueFull").GetInt64());
        await server.ShutdownAsync();
    }

    [Fact]
    public async Task A_client_that_disconnects_is_cancelled_and_leaves_the_batch()
    {
        using var folder = new TempFolder();
        // A longer context, so that the generation lasts long after the client has gone.
        ServingTestModel.Save(folder.Path, contextLength: 1024, width: 128);
        using var server = ServingProcess.Start(folder.Path, new EngineOptions(2, 4));
        var gone = await GenerationClient.GenerateAsync(server.Client, GenerationClient.Body(new GenerationRequest("abc", 1000)), stopAfterTokens: 2);
        Assert.Equal(2, gone.Indices.Count);
        for (int wait = 0; wait < 100 && (await Stats(server)).GetProperty("cancelled").GetInt64() == 0; wait++) await Task.Delay(50);
        var stats = await Stats(server);
        Assert.Equal(1, stats.GetProperty("cancelled").GetInt64());
        Assert.Equal(0, stats.GetProperty("running").GetInt32());
        Assert.Equal(0, stats.GetProperty("completed").GetInt64());
        await server.ShutdownAsync();
    }

    [Fact]
    public async Task Shutdown_finishes_the_accepted_requests_and_refuses_new_ones()
    {
        using var folder = new TempFolder();
        using var server = StartServer(folder, new EngineOptions(2, 8));
        var requests = Enumerable.Range(0, 5).Select(i => new GenerationRequest("abc", 50)).ToList();
        var inFlight = requests.Select(r => GenerationClient.GenerateAsync(server.Client, GenerationClient.Body(r))).ToList();
        for (int wait = 0; wait < 200 && (await Stats(server)).GetProperty("accepted").GetInt64() < 5; wait++) await Task.Delay(20);
        var exit = server.ShutdownAsync();
        var results = await Task.WhenAll(inFlight);
        Assert.All(results, r => Assert.True(r.CompletedInOrder && r.Indices.Count == 50, r.Error));
        Assert.Equal(0, await exit);
        var late = await GenerationClient.GenerateAsync(server.Client, GenerationClient.Body(requests[0]));
        Assert.NotEqual(200, late.Status);
        Assert.Contains("5 accepted, 5 completed, 0 cancelled", server.Output, StringComparison.Ordinal);
    }
}
