namespace TransformersBook.Serving;

/// <summary>The engine's counters at one moment. Every accepted request ends completed, cancelled or still in flight:
/// <c>Accepted = Completed + Cancelled + Queued + Running</c>.</summary>
/// <param name="Accepted">Requests accepted.</param>
/// <param name="RejectedQueueFull">Requests refused because the queue was full.</param>
/// <param name="RejectedShuttingDown">Requests refused during shutdown.</param>
/// <param name="Completed">Requests that generated all their tokens.</param>
/// <param name="Cancelled">Requests whose client went away.</param>
/// <param name="Queued">Requests waiting now.</param>
/// <param name="Running">Sequences in the batch now.</param>
/// <param name="Steps">Decoding iterations run.</param>
/// <param name="TokensGenerated">Tokens generated in all.</param>
public sealed record EngineStatistics(long Accepted, long RejectedQueueFull, long RejectedShuttingDown, long Completed, long Cancelled,
    int Queued, int Running, long Steps, long TokensGenerated);
