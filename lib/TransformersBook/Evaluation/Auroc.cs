namespace TransformersBook.Evaluation;

/// <summary>
/// The area under the ROC curve of a score that should rank positives above negatives: the probability that a random
/// positive scores higher than a random negative, a tie counting one half (the Mann–Whitney U statistic over
/// |positives|·|negatives|). 0.5 is a score that does not separate the two; 1 separates them perfectly.
/// </summary>
public static class Auroc
{
    /// <summary>AUROC of the scores of the positives against those of the negatives.</summary>
    /// <exception cref="ArgumentException">One of the two groups is empty.</exception>
    public static double Of(IReadOnlyList<double> positives, IReadOnlyList<double> negatives)
    {
        ArgumentNullException.ThrowIfNull(positives);
        ArgumentNullException.ThrowIfNull(negatives);
        if (positives.Count == 0 || negatives.Count == 0) throw new ArgumentException("Both groups need at least one score.");
        var sortedNegatives = negatives.OrderBy(x => x).ToArray();
        double wins = 0;
        foreach (double p in positives)
        {
            int below = LowerBound(sortedNegatives, p);
            int notAbove = UpperBound(sortedNegatives, p);
            wins += below + 0.5 * (notAbove - below);
        }
        return wins / ((double)positives.Count * negatives.Count);
    }

    static int LowerBound(double[] sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi) { int mid = (lo + hi) / 2; if (sorted[mid] < value) lo = mid + 1; else hi = mid; }
        return lo;
    }

    static int UpperBound(double[] sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi) { int mid = (lo + hi) / 2; if (sorted[mid] <= value) lo = mid + 1; else hi = mid; }
        return lo;
    }
}
