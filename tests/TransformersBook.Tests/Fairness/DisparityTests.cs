using TransformersBook.Fairness;
using Xunit;

namespace TransformersBook.Tests;

/// <summary>Disparity metrics against hand-computed values.</summary>
public class DisparityTests
{
    [Fact]
    public void Positive_rate_difference()
    {
        // 3 of 4 positive against 1 of 4.
        Assert.Equal(0.5, Disparity.PositiveRateDifference(new[] { true, true, true, false }, new[] { true, false, false, false }), 12);
    }

    [Fact]
    public void Error_rate_difference()
    {
        // Group 1: 1 error in 4; group 2: 2 errors in 4.
        double gap = Disparity.ErrorRateDifference(
            new[] { true, true, false, false }, new[] { true, true, false, true },
            new[] { true, false, true, false }, new[] { true, true, false, false });
        Assert.Equal(0.25 - 0.5, gap, 12);
    }

    [Fact]
    public void Flip_rate_and_mean_score_gap_on_counterfactual_pairs()
    {
        Assert.Equal(0.25, Disparity.FlipRate(new[] { true, true, false, false }, new[] { true, false, false, false }), 12);
        Assert.Equal(0.1, Disparity.MeanScoreGap(new[] { 0.9, 0.5 }, new[] { 0.7, 0.5 }), 12);
    }

    [Fact]
    public void Mismatched_lengths_are_refused() =>
        Assert.Throws<ArgumentException>(() => Disparity.FlipRate(new[] { true }, new[] { true, false }));
}
