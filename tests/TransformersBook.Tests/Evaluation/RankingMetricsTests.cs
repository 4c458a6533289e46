using TransformersBook.Evaluation;
using Xunit;

namespace TransformersBook.Tests;

/// <summary>Full and sampled ranks, HR@k, NDCG@k and the hypergeometric expectation, against hand-computed values.</summary>
public class RankingMetricsTests
{
    // Item 0 is padding; items 1…5 score 0.9, 0.1, 0.5, 0.5, 0.3.
    static readonly float[] Scores = { float.NegativeInfinity, 0.9f, 0.1f, 0.5f, 0.5f, 0.3f };

    [Fact]
    public void Full_rank_counts_items_scoring_at_least_as_high()
    {
        Assert.Equal(1, RankingMetrics.FullRank(Scores, 1));
        Assert.Equal(5, RankingMetrics.FullRank(Scores, 2));
        Assert.Equal(3, RankingMetrics.FullRank(Scores, 3));   // item 4 ties with item 3 and counts above it
        Assert.Equal(3, RankingMetrics.FullRank(Scores, 4));
        Assert.Equal(4, RankingMetrics.FullRank(Scores, 5));
    }

    [Fact]
    public void Sampled_rank_counts_only_the_negatives()
    {
        Assert.Equal(2, RankingMetrics.SampledRank(Scores, 5, new[] { 1, 2 }));
        Assert.Equal(1, RankingMetrics.SampledRank(Scores, 3, new[] { 2, 5 }));
        Assert.Equal(3, RankingMetrics.SampledRank(Scores, 2, new[] { 4, 5 }));
    }

    [Fact]
    public void Hit_rate_and_ndcg_by_hand()
    {
        var ranks = new[] { 1, 3, 11, 2 };
        Assert.Equal(0.75, RankingMetrics.HitRate(ranks, 10), 12);
        Assert.Equal(0.5, RankingMetrics.HitRate(ranks, 2), 12);
        // (1/log2 2 + 1/log2 4 + 0 + 1/log2 3) / 4 = (1 + 0.5 + 0.6309298) / 4
        Assert.Equal((1 + 0.5 + 1 / Math.Log2(3)) / 4, RankingMetrics.Ndcg(ranks, 10), 12);
        Assert.Equal((1 + 1 / Math.Log2(3)) / 4, RankingMetrics.Ndcg(ranks, 2), 12);
    }

    [Fact]
    public void Negatives_are_distinct_and_avoid_the_excluded_items()
    {
        var excluded = new HashSet<int> { 1, 2, 3 };
        var negatives = RankingMetrics.SampleNegatives(new Random(5), 10, excluded, 7);
        Assert.Equal(7, negatives.Distinct().Count());
        Assert.All(negatives, n => Assert.InRange(n, 4, 10));
        Assert.Throws<ArgumentException>(() => RankingMetrics.SampleNegatives(new Random(5), 10, excluded, 8));
    }

    [Fact]
    public void Sampled_rank_distribution_is_hypergeometric()
    {
        // Pool of 5 candidates, 2 outscore the target, 2 are drawn: P(0 above) = C(3,2)/C(5,2) = 3/10,
        // P(1 above) = 2·3/10 = 6/10, P(2 above) = 1/10.
        var p = RankingMetrics.SampledRankProbabilities(above: 2, pool: 5, negatives: 2, maxRank: 3);
        Assert.Equal(0.3, p[0], 12);
        Assert.Equal(0.6, p[1], 12);
        Assert.Equal(0.1, p[2], 12);
        Assert.Equal(0.9, RankingMetrics.ExpectedSampledHitRate(2, 5, 2, k: 2), 12);
        Assert.Equal(0.3 + 0.6 / Math.Log2(3), RankingMetrics.ExpectedSampledNdcg(2, 5, 2, k: 2), 12);
    }

    [Fact]
    public void Expected_sampled_hit_rate_matches_a_simulation()
    {
        // 1000 candidates, 200 above the target, 100 negatives: sampled rank ≤ 10 needs ≤ 9 of the 200 among the 100.
        var random = new Random(3);
        int hits = 0, trials = 4000;
        for (int trial = 0; trial < trials; trial++)
        {
            var drawn = Enumerable.Range(0, 1000).OrderBy(_ => random.Next()).Take(100);
            if (drawn.Count(i => i < 200) <= 9) hits++;
        }
        double expected = RankingMetrics.ExpectedSampledHitRate(200, 1000, 100, 10);
        Assert.InRange(hits / (double)trials, expected - 0.03, expected + 0.03);
    }
}
