namespace TransformersBook.Distributed;

/// <summary>Bytes each device sends per training step under the three kinds of parallelism.</summary>
public static class CommunicationVolume
{
    /// <summary>
    /// A ring all-reduce of n elements over N devices: a reduce-scatter and an all-gather, each N − 1 steps of one
    /// n/N chunk, so every device sends 2(N − 1)/N · n elements.
    /// </summary>
    public static double RingAllReduceBytes(long elements, int devices, int bytesPerElement = 4)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(devices, 1);
        return 2.0 * (devices - 1) / devices * elements * bytesPerElement;
    }

    /// <summary>
    /// Tensor parallelism over p devices, per transformer layer and step: Megatron's block sums the partial outputs
    /// twice in the forward pass (attention, MLP) and twice in the backward pass, each an all-reduce of
    /// batch × time × width activations.
    /// </summary>
    public static double TensorParallelBytesPerLayer(long batch, long time, long width, int devices, int bytesPerElement = 4) =>
        4 * RingAllReduceBytes(batch * time * width, devices, bytesPerElement);

    /// <summary>
    /// Pipeline parallelism, per stage boundary and step: the activations batch × time × width go forward once and
    /// their gradients come back once (point-to-point, to one neighbour).
    /// </summary>
    public static double PipelineBytesPerBoundary(long batch, long time, long width, int bytesPerElement = 4) =>
        2.0 * batch * time * width * bytesPerElement;
}
