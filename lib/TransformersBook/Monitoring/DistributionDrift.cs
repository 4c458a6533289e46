namespace TransformersBook.Monitoring;

/// <summary>
/// How far a window of live traffic has moved from a reference, over the same histogram bins. With reference
/// proportions <c>p</c> and window proportions <c>q</c> (each bin floored at <c>epsilon</c> so that an empty bin stays
/// finite), the population stability index is <c>PSI = Σ (q_i − p_i) ln(q_i / p_i)</c> — the symmetric sum
/// <c>KL(q‖p) + KL(p‖q)</c> — and the Kullback–Leibler divergence is <c>KL(q‖p) = Σ q_i ln(q_i / p_i)</c>, in nats.
/// The credit-scoring convention reads PSI below 0.1 as stable, 0.1 to 0.25 as worth watching, 0.25 or more as drift.
/// </summary>
public static class DistributionDrift
{
    /// <summary>PSI below this is stable.</summary>
    public const double WatchThreshold = 0.1;

    /// <summary>PSI at or above this is drift.</summary>
    public const double AlertThreshold = 0.25;

    /// <summary>The floor of a bin's proportion.</summary>
    public const double DefaultEpsilon = 1e-4;

    /// <summary>Counts as proportions that sum to 1, each floored at <paramref name="epsilon"/> and renormalized.</summary>
    /// <param name="counts">Non-negative counts, one per bin, not all zero.</param>
    /// <param name="epsilon">The floor.</param>
    public static double[] Proportions(IReadOnlyList<double> counts, double epsilon = DefaultEpsilon)
    {
        ArgumentNullException.ThrowIfNull(counts);
        double total = counts.Sum();
        if (counts.Any(c => c < 0) || total <= 0) throw new ArgumentException("Counts must be non-negative and not all zero.", nameof(counts));
        var floored = counts.Select(c => Math.Max(c / total, epsilon)).ToArray();
        double sum = floored.Sum();
        return floored.Select(p => p / sum).ToArray();
    }

    /// <summary>The population stability index of a window against a reference (both given as counts over the same bins).</summary>
    /// <param name="reference">The reference's counts.</param>
    /// <param name="window">The window's counts.</param>
    /// <param name="epsilon">The floor of a bin's proportion.</param>
    public static double PopulationStabilityIndex(IReadOnlyList<double> reference, IReadOnlyList<double> window, double epsilon = DefaultEpsilon)
    {
        var (p, q) = Pair(reference, window, epsilon);
        double psi = 0;
        for (int i = 0; i < p.Length; i++) psi += (q[i] - p[i]) * Math.Log(q[i] / p[i]);
        return psi;
    }

    /// <summary>KL(window ‖ reference) in nats, over the same bins.</summary>
    /// <param name="reference">The reference's counts.</param>
    /// <param name="window">The window's counts.</param>
    /// <param name="epsilon">The floor of a bin's proportion.</param>
    public static double KullbackLeibler(IReadOnlyList<double> reference, IReadOnlyList<double> window, double epsilon = DefaultEpsilon)
    {
        var (p, q) = Pair(reference, window, epsilon);
        double kl = 0;
        for (int i = 0; i < p.Length; i++) kl += q[i] * Math.Log(q[i] / p[i]);
        return kl;
    }

    /// <summary>The convention's reading of a PSI.</summary>
    /// <param name="psi">A population stability index.</param>
    public static DriftLevel Level(double psi) => psi >= AlertThreshold ? DriftLevel.Drift : psi >= WatchThreshold ? DriftLevel.Watch : DriftLevel.Stable;

    /// <summary>Counts of values per bin: value v lands in bin min(v, bins − 1) (the last bin holds everything larger); negative values are an error.</summary>
    /// <param name="values">Non-negative bin numbers.</param>
    /// <param name="bins">How many bins.</param>
    public static double[] Histogram(IEnumerable<int> values, int bins)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        var counts = new double[bins];
        foreach (int v in values)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(v, nameof(values));
            counts[Math.Min(v, bins - 1)]++;
        }
        return counts;
    }

    static (double[] P, double[] Q) Pair(IReadOnlyList<double> reference, IReadOnlyList<double> window, double epsilon)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(window);
        if (reference.Count != window.Count) throw new ArgumentException("The reference and the window need the same bins.", nameof(window));
        return (Proportions(reference, epsilon), Proportions(window, epsilon));
    }
}

/// <summary>How a PSI reads by the 0.1 / 0.25 convention.</summary>
public enum DriftLevel
{
    /// <summary>PSI below 0.1.</summary>
    Stable,

    /// <summary>PSI from 0.1 to 0.25.</summary>
    Watch,

    /// <summary>PSI of 0.25 or more.</summary>
    Drift,
}
