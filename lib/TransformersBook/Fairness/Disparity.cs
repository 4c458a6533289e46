namespace TransformersBook.Fairness;

/// <summary>
/// Group disparity of a classifier's decisions. The positive-rate difference (demographic parity gap) is
/// P(ŷ = 1 | group 1) − P(ŷ = 1 | group 2); the error-rate difference compares mistakes instead; on counterfactual
/// pairs (the same input with the group word swapped) the flip rate is the share of pairs whose decision changes.
/// </summary>
public static class Disparity
{
    /// <summary>The share of positive decisions.</summary>
    public static double PositiveRate(IReadOnlyList<bool> decisions)
    {
        RequireNonEmpty(decisions, nameof(decisions));
        return decisions.Count(d => d) / (double)decisions.Count;
    }

    /// <summary>P(ŷ = 1 | group 1) − P(ŷ = 1 | group 2).</summary>
    public static double PositiveRateDifference(IReadOnlyList<bool> firstGroup, IReadOnlyList<bool> secondGroup) =>
        PositiveRate(firstGroup) - PositiveRate(secondGroup);

    /// <summary>The share of decisions that differ from the labels.</summary>
    public static double ErrorRate(IReadOnlyList<bool> decisions, IReadOnlyList<bool> labels)
    {
        RequireNonEmpty(decisions, nameof(decisions));
        RequireSameLength(decisions, labels);
        return Enumerable.Range(0, decisions.Count).Count(i => decisions[i] != labels[i]) / (double)decisions.Count;
    }

    /// <summary>Error rate of group 1 − error rate of group 2.</summary>
    public static double ErrorRateDifference(IReadOnlyList<bool> firstDecisions, IReadOnlyList<bool> firstLabels,
        IReadOnlyList<bool> secondDecisions, IReadOnlyList<bool> secondLabels) =>
        ErrorRate(firstDecisions, firstLabels) - ErrorRate(secondDecisions, secondLabels);

    /// <summary>The share of counterfactual pairs whose two decisions differ.</summary>
    public static double FlipRate(IReadOnlyList<bool> original, IReadOnlyList<bool> counterfactual)
    {
        RequireNonEmpty(original, nameof(original));
        RequireSameLength(original, counterfactual);
        return Enumerable.Range(0, original.Count).Count(i => original[i] != counterfactual[i]) / (double)original.Count;
    }

    /// <summary>The mean of score(group 1 version) − score(group 2 version) over counterfactual pairs.</summary>
    public static double MeanScoreGap(IReadOnlyList<double> firstVersion, IReadOnlyList<double> secondVersion)
    {
        RequireNonEmpty(firstVersion, nameof(firstVersion));
        RequireSameLength(firstVersion, secondVersion);
        return Enumerable.Range(0, firstVersion.Count).Average(i => firstVersion[i] - secondVersion[i]);
    }

    static void RequireNonEmpty<T>(IReadOnlyList<T> values, string name)
    {
        ArgumentNullException.ThrowIfNull(values, name);
        if (values.Count == 0) throw new ArgumentException("At least one decision is needed.", name);
    }

    static void RequireSameLength<T, TOther>(IReadOnlyList<T> first, IReadOnlyList<TOther> second)
    {
        ArgumentNullException.ThrowIfNull(second);
        if (first.Count != second.Count) throw new ArgumentException($"The two lists have {first.Count} and {second.Count} entries.");
    }
}
