namespace TransformersBook.Serving;

/// <summary>
/// The back-of-the-envelope arithmetic of serving a language model: the memory-bandwidth roofline of decoding, the batch
/// at which decoding stops being bandwidth-bound, the price of a million tokens, and the replicas a request rate needs
/// by Little's law. Every method is a formula; the chapter on cost feeds them measured or published numbers.
/// </summary>
public static class ServingArithmetic
{
    /// <summary>
    /// The memory-bandwidth bound on decoding: one step must read <paramref name="bytesPerStep"/> (the weights, plus the
    /// caches) and produces one token for each of <paramref name="batch"/> sequences, so tokens/s ≤ batch × bandwidth ÷ bytes.
    /// </summary>
    /// <param name="bandwidthBytesPerSecond">Memory bandwidth, bytes per second.</param>
    /// <param name="bytesPerStep">Bytes one decoding step reads from memory.</param>
    /// <param name="batch">Sequences decoded together (they share one read of the weights).</param>
    public static double BandwidthBoundTokensPerSecond(double bandwidthBytesPerSecond, double bytesPerStep, int batch = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytesPerStep);
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        return batch * bandwidthBytesPerSecond / bytesPerStep;
    }

    /// <summary>The compute bound on decoding: tokens/s ≤ FLOP/s ÷ FLOPs per token (about 2 per parameter).</summary>
    /// <param name="flopsPerSecond">Arithmetic throughput, floating-point operations per second.</param>
    /// <param name="flopsPerToken">Operations one token costs.</param>
    public static double ComputeBoundTokensPerSecond(double flopsPerSecond, double flopsPerToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(flopsPerToken);
        return flopsPerSecond / flopsPerToken;
    }

    /// <summary>The roofline: the smaller of the bandwidth bound at <paramref name="batch"/> and the compute bound.</summary>
    /// <param name="bandwidthBytesPerSecond">Memory bandwidth, bytes per second.</param>
    /// <param name="bytesPerStep">Bytes one decoding step reads.</param>
    /// <param name="flopsPerSecond">Arithmetic throughput.</param>
    /// <param name="flopsPerToken">Operations one token costs.</param>
    /// <param name="batch">Sequences decoded together.</param>
    public static double RooflineTokensPerSecond(double bandwidthBytesPerSecond, double bytesPerStep, double flopsPerSecond, double flopsPerToken, int batch) =>
        Math.Min(BandwidthBoundTokensPerSecond(bandwidthBytesPerSecond, bytesPerStep, batch), ComputeBoundTokensPerSecond(flopsPerSecond, flopsPerToken));

    /// <summary>
    /// The batch at which the two bounds meet, batch × bandwidth ÷ bytes = FLOP/s ÷ FLOPs per token: below it a step waits
    /// for memory, above it for arithmetic. Equivalently the machine's balance (FLOP/s ÷ bandwidth) divided by the arithmetic
    /// intensity of one sequence's step (FLOPs per token ÷ bytes per step).
    /// </summary>
    /// <param name="bandwidthBytesPerSecond">Memory bandwidth.</param>
    /// <param name="bytesPerStep">Bytes one decoding step reads.</param>
    /// <param name="flopsPerSecond">Arithmetic throughput.</param>
    /// <param name="flopsPerToken">Operations one token costs.</param>
    public static double CriticalBatch(double bandwidthBytesPerSecond, double bytesPerStep, double flopsPerSecond, double flopsPerToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bandwidthBytesPerSecond);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(flopsPerToken);
        return flopsPerSecond * bytesPerStep / (bandwidthBytesPerSecond * flopsPerToken);
    }

    /// <summary>Dollars per million tokens: price per hour ÷ (tokens/s × 3600) × 10⁶.</summary>
    /// <param name="pricePerHour">What the machine costs per hour.</param>
    /// <param name="tokensPerSecond">Tokens it produces per second while busy.</param>
    public static double CostPerMillionTokens(double pricePerHour, double tokensPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tokensPerSecond);
        return pricePerHour / (tokensPerSecond * 3600) * 1e6;
    }

    /// <summary>Little's law, L = λW: requests in the system on average, from the arrival rate and the time each spends inside.</summary>
    /// <param name="requestsPerSecond">Arrival rate λ.</param>
    /// <param name="secondsInSystem">Time W a request spends in the system.</param>
    public static double RequestsInSystem(double requestsPerSecond, double secondsInSystem) => requestsPerSecond * secondsInSystem;

    /// <summary>
    /// Replicas needed so that the requests in the system (Little's law, λW) fill no replica beyond
    /// <paramref name="targetUtilization"/> of its <paramref name="concurrencyPerReplica"/> places:
    /// ⌈λW ÷ (places × utilization)⌉, at least one.
    /// </summary>
    /// <param name="requestsPerSecond">Arrival rate λ.</param>
    /// <param name="serviceSeconds">Time W one request spends being served at that concurrency.</param>
    /// <param name="concurrencyPerReplica">Requests one replica serves at once (its batch).</param>
    /// <param name="targetUtilization">The fraction of those places kept busy on average (headroom for bursts), in (0, 1].</param>
    public static int ReplicasNeeded(double requestsPerSecond, double serviceSeconds, int concurrencyPerReplica, double targetUtilization = 1.0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(requestsPerSecond);
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrencyPerReplica, 1);
        if (targetUtilization is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(targetUtilization), targetUtilization, "a utilization lies in (0, 1].");
        double needed = RequestsInSystem(requestsPerSecond, serviceSeconds) / (concurrencyPerReplica * targetUtilization);
        return Math.Max(1, (int)Math.Ceiling(needed - 1e-9));
    }
}
