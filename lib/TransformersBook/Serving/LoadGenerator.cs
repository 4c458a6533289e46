using System.Diagnostics;

namespace TransformersBook.Serving;

/// <summary>
/// Load for the service. <see cref="ClosedLoopAsync"/> is the usual benchmark shape: C clients, each sending its next
/// request as soon as its previous response ends, so C requests are always in flight. <see cref="BurstAsync"/> sends N
/// requests at the same moment, to overload the queue on purpose.
/// </summary>
public static class LoadGenerator
{
    /// <summary>Closed-loop load: <paramref name="concurrency"/> clients share the list of requests, each taking the next when it is free.</summary>
    /// <param name="client">A client of the service (its handler must allow as many connections as clients).</param>
    /// <param name="requests">The requests, taken in order.</param>
    /// <param name="concurrency">Clients at once.</param>
    public static async Task<LoadTestResult> ClosedLoopAsync(HttpClient client, IReadOnlyList<GenerationRequest> requests, int concurrency)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        var clock = Stopwatch.StartNew();
        var results = new StreamedGeneration[requests.Count];
        int next = -1;
        async Task Client()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests.Count)
                results[i] = await GenerationClient.GenerateAsync(client, GenerationClient.Body(requests[i]), clock).ConfigureAwait(false);
        }
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(Client))).ConfigureAwait(false);
        return new LoadTestResult(concurrency, clock.Elapsed.TotalSeconds, results);
    }

    /// <summary>Sends every request at once and waits for all the responses.</summary>
    /// <param name="client">A client of the service.</param>
    /// <param name="requests">The requests.</param>
    public static async Task<LoadTestResult> BurstAsync(HttpClient client, IReadOnlyList<GenerationRequest> requests)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var clock = Stopwatch.StartNew();
        var results = await Task.WhenAll(requests.Select(r => Task.Run(() => GenerationClient.GenerateAsync(client, GenerationClient.Body(r), clock)))).ConfigureAwait(false);
        return new LoadTestResult(requests.Count, clock.Elapsed.TotalSeconds, results);
    }
}
