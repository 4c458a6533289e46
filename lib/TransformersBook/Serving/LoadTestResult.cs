namespace TransformersBook.Serving;

/// <summary>A load test's measurements, computed from each request's <see cref="StreamedGeneration"/>.</summary>
/// <param name="Concurrency">Clients sending at once.</param>
/// <param name="WallSeconds">From the first request sent to the last response ended.</param>
/// <param name="Requests">Every request's outcome.</param>
public sealed record LoadTestResult(int Concurrency, double WallSeconds, IReadOnlyList<StreamedGeneration> Requests)
{
    /// <summary>The accepted requests (status 200).</summary>
    public IReadOnlyList<StreamedGeneration> Accepted => Requests.Where(r => r.Status == 200).ToList();

    /// <summary>Requests refused with 429.</summary>
    public int Rejected => Requests.Count(r => r.Status == 429);

    /// <summary>Accepted requests that streamed every token in order and ended with a done event whose text matches.</summary>
    public int CompletedInOrder => Requests.Count(r => r.CompletedInOrder);

    /// <summary>Completed requests per second.</summary>
    public double RequestsPerSecond => CompletedInOrder / WallSeconds;

    /// <summary>Streamed tokens per second, over all accepted requests.</summary>
    public double TokensPerSecond => Accepted.Sum(r => r.Indices.Count) / WallSeconds;

    /// <summary>The median latency of accepted requests, seconds.</summary>
    public double LatencyP50 => Percentile(Accepted.Select(r => r.LatencySeconds), 0.50);

    /// <summary>The 99th-percentile latency of accepted requests, seconds.</summary>
    public double LatencyP99 => Percentile(Accepted.Select(r => r.LatencySeconds), 0.99);

    /// <summary>The mean latency of accepted requests, seconds.</summary>
    public double MeanLatency => Accepted.Count == 0 ? double.NaN : Accepted.Average(r => r.LatencySeconds);

    /// <summary>The mean time to the first token of accepted requests, seconds.</summary>
    public double MeanFirstToken => Accepted.Count == 0 ? double.NaN : Accepted.Average(r => r.FirstTokenSeconds);

    /// <summary>The median time to the first token of accepted requests, seconds.</summary>
    public double FirstTokenP50 => Percentile(Accepted.Select(r => r.FirstTokenSeconds), 0.50);

    /// <summary>The q-quantile by the nearest-rank rule (the smallest value with at least q of the values at or below it).</summary>
    /// <param name="values">The sample.</param>
    /// <param name="q">Between 0 and 1.</param>
    public static double Percentile(IEnumerable<double> values, double q)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        if (sorted.Length == 0) return double.NaN;
        int rank = (int)Math.Ceiling(q * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
