namespace TransformersBook.Evaluation;

/// <summary>
/// Selective prediction (El-Yaniv and Wiener, 2010; Geifman and El-Yaniv, 2017): a model that may abstain answers only
/// when its confidence reaches a threshold. Sorting the n answers by confidence, highest first, and keeping the top k
/// gives coverage k/n and risk = errors among those k / k; the curve runs over k = 1..n, and its area, AURC, is the mean
/// of the n risks. Answers with equal confidence are kept or dropped together, so at a tie the curve has one point for
/// the whole group, and in AURC every k inside the group gets the group's risk.
/// </summary>
public static class RiskCoverage
{
    /// <summary>The curve, one point per distinct confidence, from the smallest coverage to 1.</summary>
    public static IReadOnlyList<RiskCoveragePoint> Curve(IReadOnlyList<double> confidences, IReadOnlyList<bool> correct)
    {
        var order = Sorted(confidences, correct);
        var points = new List<RiskCoveragePoint>();
        int errors = 0;
        for (int k = 0; k < order.Length; k++)
        {
            if (!correct[order[k]]) errors++;
            bool lastOfTie = k == order.Length - 1 || confidences[order[k + 1]] != confidences[order[k]];
            if (lastOfTie) points.Add(new RiskCoveragePoint(confidences[order[k]], (k + 1.0) / order.Length, (double)errors / (k + 1)));
        }
        return points;
    }

    /// <summary>The area under the risk–coverage curve: the mean over k = 1..n of the risk when the top k are answered.</summary>
    public static double Aurc(IReadOnlyList<double> confidences, IReadOnlyList<bool> correct)
    {
        var curve = Curve(confidences, correct);
        double sum = 0;
        int previous = 0;
        foreach (var point in curve)
        {
            int kept = (int)Math.Round(point.Coverage * confidences.Count);
            sum += (kept - previous) * point.Risk;
            previous = kept;
        }
        return sum / confidences.Count;
    }

    /// <summary>
    /// The risk at the smallest coverage of the curve that reaches <paramref name="coverage"/> (a tie can make it
    /// larger than asked).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The coverage is not in (0, 1].</exception>
    public static RiskCoveragePoint AtCoverage(IReadOnlyList<double> confidences, IReadOnlyList<bool> correct, double coverage)
    {
        if (coverage is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(coverage), "The coverage must be in (0, 1].");
        return Curve(confidences, correct).First(p => p.Coverage >= coverage - 1e-12);
    }

    static int[] Sorted(IReadOnlyList<double> confidences, IReadOnlyList<bool> correct)
    {
        ArgumentNullException.ThrowIfNull(confidences);
        ArgumentNullException.ThrowIfNull(correct);
        if (confidences.Count != correct.Count) throw new ArgumentException("One correctness flag per confidence.", nameof(correct));
        if (confidences.Count == 0) throw new ArgumentException("No answers.", nameof(confidences));
        return Enumerable.Range(0, confidences.Count).OrderByDescending(i => confidences[i]).ThenBy(i => i).ToArray();
    }
}
