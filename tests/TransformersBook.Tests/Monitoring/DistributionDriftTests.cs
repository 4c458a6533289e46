using TransformersBook.Monitoring;
using Xunit;

namespace TransformersBook.Tests;

/// <summary>PSI and KL against values worked by hand, the floor of empty bins, the 0.1 / 0.25 reading and the histogram.</summary>
public class DistributionDriftTests
{
    [Fact]
    public void Psi_and_kl_match_hand_computed_values()
    {
        // p = (0.5, 0.3, 0.2), q = (0.3, 0.3, 0.4):
        // KL(q‖p) = 0.3 ln 0.6 + 0.4 ln 2 = 0.1240112; KL(p‖q) = 0.5 ln(5/3) + 0.2 ln 0.5 = 0.1167834;
        // PSI = (−0.2) ln 0.6 + 0.2 ln 2 = 0.2407946 = KL(q‖p) + KL(p‖q).
        double[] reference = { 50, 30, 20 }, window = { 30, 30, 40 };
        Assert.Equal(0.2407946, DistributionDrift.PopulationStabilityIndex(reference, window), 6);
        Assert.Equal(0.1240112, DistributionDrift.KullbackLeibler(reference, window), 6);
        Assert.Equal(0.1167834, DistributionDrift.KullbackLeibler(window, reference), 6);
    }

    [Fact]
    public void Identical_proportions_give_zero_whatever_the_counts()
    {
        Assert.Equal(0, DistributionDrift.PopulationStabilityIndex(new double[] { 1, 2, 3 }, new double[] { 10, 20, 30 }), 12);
        Assert.Equal(0, DistributionDrift.KullbackLeibler(new double[] { 1, 2, 3 }, new double[] { 10, 20, 30 }), 12);
    }

    [Fact]
    public void Empty_bins_are_floored_so_the_index_stays_finite()
    {
        // Floor 0.01: p = (1, 0.01)/1.01, q = (0.01, 1)/1.01; PSI = 2 (0.99/1.01) ln 100 = 9.0279574.
        double psi = DistributionDrift.PopulationStabilityIndex(new double[] { 1, 0 }, new double[] { 0, 1 }, epsilon: 0.01);
        Assert.Equal(9.0279574, psi, 6);
        var proportions = DistributionDrift.Proportions(new double[] { 0, 3, 1 }, 0.01);
        Assert.Equal(1, proportions.Sum(), 12);
        Assert.Equal(0.01 / 1.01, proportions[0], 12);
    }

    [Theory]
    [InlineData(0.0, DriftLevel.Stable)]
    [InlineData(0.0999, DriftLevel.Stable)]
    [InlineData(0.1, DriftLevel.Watch)]
    [InlineData(0.2499, DriftLevel.Watch)]
    [InlineData(0.25, DriftLevel.Drift)]
    [InlineData(3.0, DriftLevel.Drift)]
    public void Levels_follow_the_convention(double psi, DriftLevel level) => Assert.Equal(level, DistributionDrift.Level(psi));

    [Fact]
    public void Histogram_puts_large_values_in_the_last_bin_and_rejects_mismatched_bins()
    {
        Assert.Equal(new double[] { 1, 2, 3 }, DistributionDrift.Histogram(new[] { 0, 1, 1, 2, 7, 40 }, 3));
        Assert.Throws<ArgumentException>(() => DistributionDrift.PopulationStabilityIndex(new double[] { 1, 2 }, new double[] { 1, 2, 3 }));
        Assert.Throws<ArgumentException>(() => DistributionDrift.Proportions(new double[] { 0, 0 }));
    }
}
