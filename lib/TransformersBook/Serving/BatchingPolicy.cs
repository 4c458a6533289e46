namespace TransformersBook.Serving;

/// <summary>When the engine lets waiting requests into the running batch.</summary>
public enum BatchingPolicy
{
    /// <summary>
    /// Iteration-level (continuous) batching: before every decoding step, waiting requests fill the free places of the
    /// batch, and a finished sequence leaves it at once (Yu et al., 2022).
    /// </summary>
    Continuous,

    /// <summary>Static batching: a batch is formed when the engine is idle and runs until its longest request is done; arrivals wait.</summary>
    Static,
}
