namespace TransformersBook.Evaluation;

/// <summary>
/// Next-item ranking metrics with one relevant item per user: the target's rank among all items (full ranking) or
/// among the target and a sample of negatives (as in Kang and McAuley, 2018), hit rate HR@k and NDCG@k, and the
/// exact expectation of the sampled metrics given a full ranking (Krichene and Rendle, 2020).
/// </summary>
/// <remarks>
/// Scores are arrays indexed by item id; item 0 is padding and never ranked. Ties count against the target: an item
/// with the same score as the target ranks above it, so a model cannot gain from giving everything the same score.
/// </remarks>
public static class RankingMetrics
{
    /// <summary>1 + how many items (ids 1…, other than the target) score at least as high as the target.</summary>
    public static int FullRank(ReadOnlySpan<float> scores, int target)
    {
        float s = scores[target];
        int above = 0;
        for (int j = 1; j < scores.Length; j++)
            if (j != target && scores[j] >= s) above++;
        return 1 + above;
    }

    /// <summary>1 + how many of the sampled negatives score at least as high as the target.</summary>
    public static int SampledRank(ReadOnlySpan<float> scores, int target, IReadOnlyList<int> negatives)
    {
        ArgumentNullException.ThrowIfNull(negatives);
        float s = scores[target];
        int above = 0;
        foreach (int j in negatives)
            if (scores[j] >= s) above++;
        return 1 + above;
    }

    /// <summary>HR@k: the fraction of ranks ≤ k.</summary>
    public static double HitRate(IReadOnlyCollection<int> ranks, int k)
    {
        ArgumentNullException.ThrowIfNull(ranks);
        return ranks.Count(r => r <= k) / (double)ranks.Count;
    }

    /// <summary>NDCG@k with one relevant item: the mean of 1 / log₂(rank + 1) over ranks ≤ k, 0 for the others.</summary>
    public static double Ndcg(IReadOnlyCollection<int> ranks, int k)
    {
        ArgumentNullException.ThrowIfNull(ranks);
        return ranks.Sum(r => r <= k ? 1.0 / Math.Log2(r + 1) : 0.0) / ranks.Count;
    }

    /// <summary>
    /// <paramref name="count"/> distinct items drawn uniformly from 1…<paramref name="itemCount"/>, none of them in
    /// <paramref name="excluded"/> (the user's history and the target).
    /// </summary>
    public static int[] SampleNegatives(Random random, int itemCount, ISet<int> excluded, int count)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(excluded);
        int available = Enumerable.Range(1, itemCount).Count(i => !excluded.Contains(i));
        if (available < count) throw new ArgumentException($"Only {available} items can be negatives, {count} asked.", nameof(count));
        var chosen = new HashSet<int>();
        var order = new List<int>(count);
        while (order.Count < count)
        {
            int item = 1 + random.Next(itemCount);
            if (!excluded.Contains(item) && chosen.Add(item)) order.Add(item);
        }
        return order.ToArray();
    }

    /// <summary>
    /// The distribution of the sampled rank when <paramref name="negatives"/> items are drawn without replacement from
    /// a pool of <paramref name="pool"/> candidates of which <paramref name="above"/> outscore the target:
    /// P(sampled rank = 1 + x) is hypergeometric, C(a, x)·C(M − a, n − x) / C(M, n).
    /// </summary>
    /// <returns>Probabilities of sampled rank 1…<paramref name="maxRank"/> (index 0 is rank 1).</returns>
    public static double[] SampledRankProbabilities(int above, int pool, int negatives, int maxRank)
    {
        if (above < 0 || above > pool || negatives > pool) throw new ArgumentOutOfRangeException(nameof(above));
        var p = new double[maxRank];
        double logTotal = LogChoose(pool, negatives);
        for (int x = 0; x < maxRank; x++)
        {
            if (x > above || negatives - x > pool - above || x > negatives) continue;
            p[x] = Math.Exp(LogChoose(above, x) + LogChoose(pool - above, negatives - x) - logTotal);
        }
        return p;
    }

    /// <summary>The expected sampled HR@k of one user whose target is outscored by <paramref name="above"/> of the pool.</summary>
    public static double ExpectedSampledHitRate(int above, int pool, int negatives, int k) =>
        SampledRankProbabilities(above, pool, negatives, k).Sum();

    /// <summary>The expected sampled NDCG@k of one user whose target is outscored by <paramref name="above"/> of the pool.</summary>
    public static double ExpectedSampledNdcg(int above, int pool, int negatives, int k) =>
        SampledRankProbabilities(above, pool, negatives, k).Select((p, x) => p / Math.Log2(x + 2)).Sum();

    static double LogChoose(int n, int k) => LogFactorial(n) - LogFactorial(k) - LogFactorial(n - k);

    static double LogFactorial(int n)
    {
        double s = 0;
        for (int i = 2; i <= n; i++) s += Math.Log(i);
        return s;
    }
}
