namespace TransformersBook.Serving;

/// <summary>The engine's knobs.</summary>
/// <param name="MaxBatch">The most sequences decoded together in one step.</param>
/// <param name="QueueCapacity">The most accepted requests that may wait for a place in the batch; beyond it a request is refused.</param>
/// <param name="Policy">Continuous (iteration-level) or static batching.</param>
public sealed record EngineOptions(int MaxBatch = 8, int QueueCapacity = 32, BatchingPolicy Policy = BatchingPolicy.Continuous);
