using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace TransformersBook.Serving;

/// <summary>
/// A client of the book's service: sends POST /generate and reads the server-sent events — one <c>event: token</c> per
/// token, whose data is <c>{"index": i, "token": id, "text": "c"}</c>, then one <c>event: done</c> whose data carries
/// the whole text — timing the first token and the whole response.
/// </summary>
public static class GenerationClient
{
    /// <summary>The JSON body of a request.</summary>
    public static string Body(GenerationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["prompt"] = request.Prompt,
            ["max_tokens"] = request.MaxTokens,
            ["temperature"] = request.Temperature,
            ["seed"] = request.Seed,
        });
    }

    /// <summary>Sends a raw body to /generate and reads the stream to its end.</summary>
    /// <param name="client">An HttpClient whose BaseAddress is the service.</param>
    /// <param name="body">The request body (any text: validation is the server's).</param>
    /// <param name="clock">The load generator's clock, for <see cref="StreamedGeneration.StartSeconds"/> (null: a new one).</param>
    /// <param name="cancellation">Cancels the request (the connection is closed, as a client that goes away would).</param>
    /// <param name="stopAfterTokens">Closes the connection after this many tokens (a client that disconnects), or null.</param>
    public static async Task<StreamedGeneration> GenerateAsync(HttpClient client, string body, Stopwatch? clock = null,
        CancellationToken cancellation = default, int? stopAfterTokens = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        clock ??= Stopwatch.StartNew();
        double start = clock.Elapsed.TotalSeconds, firstToken = double.NaN;
        var indices = new List<int>();
        var text = new StringBuilder();
        string? doneText = null;
        try
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, "generate") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellation).ConfigureAwait(false);
            int status = (int)response.StatusCode;
            if (status != 200)
            {
                string errorBody = await response.Content.ReadAsStringAsync(cancellation).ConfigureAwait(false);
                string? error = errorBody;
                try
                {
                    using var json = JsonDocument.Parse(errorBody);
                    if (json.RootElement.TryGetProperty("error", out var e)) error = e.GetString();
                }
                catch (JsonException)
                {
                }
                int? retry = response.Headers.RetryAfter?.Delta is TimeSpan delta ? (int)delta.TotalSeconds : null;
                return new StreamedGeneration(status, error, retry, indices, "", null, double.NaN, clock.Elapsed.TotalSeconds - start, start);
            }
            using var stream = await response.Content.ReadAsStreamAsync(cancellation).ConfigureAwait(false);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            string eventName = "message";
            while (await reader.ReadLineAsync(cancellation).ConfigureAwait(false) is { } line)
            {
                if (line.StartsWith("event: ", StringComparison.Ordinal)) eventName = line["event: ".Length..];
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    using var data = JsonDocument.Parse(line["data: ".Length..]);
                    if (eventName == "token")
                    {
                        if (indices.Count == 0) firstToken = clock.Elapsed.TotalSeconds - start;
                        indices.Add(data.RootElement.GetProperty("index").GetInt32());
                        text.Append(data.RootElement.GetProperty("text").GetString());
                        if (stopAfterTokens is int stop && indices.Count >= stop) break;
                    }
                    else if (eventName == "done") doneText = data.RootElement.GetProperty("text").GetString();
                }
                else if (line.Length == 0) eventName = "message";
            }
            return new StreamedGeneration(status, null, null, indices, text.ToString(), doneText, firstToken, clock.Elapsed.TotalSeconds - start, start);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
        {
            return new StreamedGeneration(0, e.Message, null, indices, text.ToString(), doneText, firstToken, clock.Elapsed.TotalSeconds - start, start);
        }
    }
}
