namespace TransformersBook.Serving;

/// <summary>What one client saw of one POST /generate: the status, each streamed token with its index, and the timings.</summary>
/// <param name="Status">The HTTP status code (0 when the connection failed).</param>
/// <param name="Error">The error message of a refused request (the body's "error"), or the exception's message.</param>
/// <param name="RetryAfterSeconds">The Retry-After header of a 429, else null.</param>
/// <param name="Indices">The "index" field of each token event, in arrival order.</param>
/// <param name="Text">The streamed tokens' text, concatenated.</param>
/// <param name="DoneText">The full text the final done event carried, or null when no done event arrived.</param>
/// <param name="FirstTokenSeconds">Time from sending the request to the first token event (NaN when none).</param>
/// <param name="LatencySeconds">Time from sending the request to the end of the response.</param>
/// <param name="StartSeconds">When the request was sent, on the load generator's clock.</param>
public sealed record StreamedGeneration(int Status, string? Error, int? RetryAfterSeconds, IReadOnlyList<int> Indices, string Text,
    string? DoneText, double FirstTokenSeconds, double LatencySeconds, double StartSeconds)
{
    /// <summary>Whether the request was accepted and streamed to its done event, every index in order and the text matching the done event's.</summary>
    public bool CompletedInOrder => Status == 200 && DoneText is not null && DoneText == Text && Indices.Select((index, i) => index == i).All(x => x);
}
