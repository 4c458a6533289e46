namespace TransformersBook.Serving;

/// <summary>What happened to a submitted request.</summary>
public enum SubmitStatus
{
    /// <summary>Accepted: it will run to completion unless its client cancels.</summary>
    Accepted,

    /// <summary>Refused because the queue is full (HTTP 429, retry later).</summary>
    QueueFull,

    /// <summary>Refused because the engine is shutting down (HTTP 503).</summary>
    ShuttingDown,
}

/// <summary>The answer to <see cref="BatchingEngine.Submit"/>.</summary>
/// <param name="Status">Accepted or why not.</param>
/// <param name="Sequence">The accepted sequence, or null.</param>
/// <param name="RetryAfterSeconds">For a full queue: the engine's estimate of when a place frees up, in whole seconds (at least 1).</param>
public sealed record SubmitResult(SubmitStatus Status, ServingSequence? Sequence, int RetryAfterSeconds = 0);
