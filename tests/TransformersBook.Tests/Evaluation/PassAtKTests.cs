using System.Numerics;
using TransformersBook.Evaluation;
using Xunit;

namespace TransformersBook.Tests;

/// <summary>pass@k against exact combinatorics in big integers.</summary>
public class PassAtKTests
{
    static BigInteger Choose(int n, int k)
    {
        if (k < 0 || k > n) return BigInteger.Zero;
        BigInteger result = BigInteger.One;
        for (int i = 1; i <= k; i++) result = result * (n - k + i) / i;
        return result;
    }

    /// <summary>1 − C(n−c, k)/C(n, k) as a double, from an exact ratio scaled by 10^30.</summary>
    static double Exact(int n, int c, int k)
    {
        var scale = BigInteger.Pow(10, 30);
        var failRatio = Choose(n - c, k) * scale / Choose(n, k);
        return 1.0 - (double)failRatio / 1e30;
    }

    [Theory]
    [InlineData(10, 3, 1)]
    [InlineData(10, 3, 5)]
    [InlineData(20, 1, 10)]
    [InlineData(200, 7, 1)]
    [InlineData(200, 7, 10)]
    [InlineData(200, 7, 100)]
    [InlineData(2000, 13, 1000)]   // C(2000, 1000) ≈ 2·10^600: the direct quotient overflows a double
    [InlineData(5, 0, 3)]
    [InlineData(5, 5, 3)]
    [InlineData(6, 4, 3)]          // only 2 failures: every 3 drawn contain a pass
    public void Equals_the_exact_combinatorial_formula(int n, int c, int k) =>
        Assert.Equal(Exact(n, c, k), PassAtK.Estimate(n, c, k), 12);

    [Fact]
    public void Pass_at_1_is_the_pass_rate_and_pass_at_n_is_whether_any_passed()
    {
        Assert.Equal(7 / 200.0, PassAtK.Estimate(200, 7, 1), 14);
        Assert.Equal(1.0, PassAtK.Estimate(200, 1, 200));
        Assert.Equal(0.0, PassAtK.Estimate(200, 0, 200));
    }

    [Fact]
    public void A_hand_counted_case()
    {
        // n = 4 programs, c = 1 passes, k = 2: of the C(4,2) = 6 pairs, 3 contain the passing one.
        Assert.Equal(0.5, PassAtK.Estimate(4, 1, 2), 14);
        // The plug-in 1 − (1 − 1/4)² = 7/16 is lower: it draws with replacement.
        Assert.Equal(7 / 16.0, PassAtK.PlugIn(4, 1, 2), 14);
    }

    [Fact]
    public void The_mean_averages_problems() =>
        Assert.Equal((0.5 + 1.0) / 2, PassAtK.Mean(new[] { (4, 1), (4, 3) }, 2), 14);

    [Fact]
    public void Rejects_k_above_n() => Assert.Throws<ArgumentOutOfRangeException>(() => PassAtK.Estimate(3, 1, 4));
}
