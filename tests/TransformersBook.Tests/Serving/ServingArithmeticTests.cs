using TransformersBook.Serving;
using Xunit;

namespace TransformersBook.Tests;

/// <summary>The serving formulas against values computed by hand.</summary>
public class ServingArithmeticTests
{
    [Fact]
    public void The_bandwidth_bound_is_batch_times_bandwidth_over_bytes()
    {
        // 3.35e12 B/s over 16e9 B: 209.375 tokens/s; a batch of 4 shares the read: 837.5.
        Assert.Equal(209.375, ServingArithmetic.BandwidthBoundTokensPerSecond(3.35e12, 16e9), 9);
        Assert.Equal(837.5, ServingArithmetic.BandwidthBoundTokensPerSecond(3.35e12, 16e9, batch: 4), 9);
    }

    [Fact]
    public void The_roofline_is_the_smaller_bound_and_they_meet_at_the_critical_batch()
    {
        // 100 GB/s, 1 GB per step, 1e12 FLOP/s, 1e9 FLOPs per token: bandwidth gives 100·B tokens/s, compute 1000.
        Assert.Equal(1000, ServingArithmetic.ComputeBoundTokensPerSecond(1e12, 1e9), 9);
        Assert.Equal(300, ServingArithmetic.RooflineTokensPerSecond(100e9, 1e9, 1e12, 1e9, batch: 3), 9);
        Assert.Equal(1000, ServingArithmetic.RooflineTokensPerSecond(100e9, 1e9, 1e12, 1e9, batch: 50), 9);
        Assert.Equal(10, ServingArithmetic.CriticalBatch(100e9, 1e9, 1e12, 1e9), 9);
    }

    [Fact]
    public void A_million_tokens_cost_the_hourly_price_over_the_tokens_per_hour()
    {
        // $3.60 an hour at 1000 tokens/s: 3.6e6 tokens per hour, so $1 per million.
        Assert.Equal(1.0, ServingArithmetic.CostPerMillionTokens(3.60, 1000), 12);
        Assert.Equal(0.25, ServingArithmetic.CostPerMillionTokens(0.90, 1000), 12);
    }

    [Fact]
    public void Replicas_follow_from_littles_law_with_headroom()
    {
        // 20 requests/s, 2 s each: 40 in the system; 8 places per replica at 100 % → 5; at 70 % → ⌈40 / 5.6⌉ = 8.
        Assert.Equal(40, ServingArithmetic.RequestsInSystem(20, 2), 12);
        Assert.Equal(5, ServingArithmetic.ReplicasNeeded(20, 2, 8));
        Assert.Equal(8, ServingArithmetic.ReplicasNeeded(20, 2, 8, 0.7));
        Assert.Equal(1, ServingArithmetic.ReplicasNeeded(0, 2, 8));
        Assert.Throws<ArgumentOutOfRangeException>(() => ServingArithmetic.ReplicasNeeded(1, 1, 8, 1.5));
    }
}
