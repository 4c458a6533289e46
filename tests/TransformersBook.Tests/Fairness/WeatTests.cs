using TransformersBook.Fairness;
using Xunit;

namespace TransformersBook.Tests;

/// <summary>WEAT statistic, effect size and permutation p-values on tiny vectors computed by hand.</summary>
public class WeatTests
{
    // A = {(1, 0)}, B = {(0, 1)}: a unit vector at angle θ has s(w, A, B) = cos θ − sin θ.
    static readonly IReadOnlyList<double>[] A = { new[] { 1.0, 0.0 } };
    static readonly IReadOnlyList<double>[] B = { new[] { 0.0, 1.0 } };
    // s = 1 and 0.2 for X; −1 and −0.2 for Y (lengths do not matter to the cosine).
    static readonly IReadOnlyList<double>[] X = { new[] { 2.0, 0.0 }, new[] { 4.0, 3.0 } };
    static readonly IReadOnlyList<double>[] Y = { new[] { 0.0, 1.0 }, new[] { 3.0, 4.0 } };

    [Fact]
    public void Association_is_the_difference_of_mean_cosines()
    {
        Assert.Equal(0.2, Weat.Association(new[] { 4.0, 3.0 }, A, B), 12);
        // Two attributes on each side: mean cos with {(1,0), (0,1)} is (0.8 + 0.6) / 2, with {(−1,0)} it is −0.8.
        var a = new IReadOnlyList<double>[] { new[] { 1.0, 0.0 }, new[] { 0.0, 1.0 } };
        var b = new IReadOnlyList<double>[] { new[] { -1.0, 0.0 } };
        Assert.Equal(0.7 + 0.8, Weat.Association(new[] { 4.0, 3.0 }, a, b), 12);
    }

    [Fact]
    public void Statistic_effect_size_and_exact_p_of_a_hand_example()
    {
        // Statistic (1 + 0.2) − (−1 − 0.2) = 2.4. d = 1.2 / sample std of {1, 0.2, −1, −0.2} = 1.2 / √(2.08 / 3).
        Assert.Equal(2.4, Weat.Statistic(X, Y, A, B), 12);
        double d = 1.2 / Math.Sqrt(2.08 / 3);
        Assert.Equal(d, Weat.EffectSize(X, Y, A, B), 12);
        // Six 2 + 2 partitions; X_i sums 1.2, 0, 0.8, −0.8, 0, −1.2: only the observed one reaches 2.4.
        var result = Weat.Test(X, Y, A, B);
        Assert.True(result.Exact);
        Assert.Equal(6, result.Partitions);
        Assert.Equal(1.0 / 6, result.PValue, 12);
        Assert.Equal(d, result.EffectSize, 12);
        Assert.Equal(2.4, result.Statistic, 12);
    }

    [Fact]
    public void Swapping_the_target_sets_negates_d_and_the_statistic()
    {
        var forward = Weat.Test(X, Y, A, B);
        var backward = Weat.Test(Y, X, A, B);
        Assert.Equal(-forward.EffectSize, backward.EffectSize, 12);
        Assert.Equal(-forward.Statistic, backward.Statistic, 12);
        // Every partition reaches −2.4.
        Assert.Equal(1.0, backward.PValue, 12);
        // Swapping the attribute sets negates them too.
        Assert.Equal(-forward.EffectSize, Weat.EffectSize(X, Y, B, A), 12);
    }

    [Fact]
    public void Identical_target_sets_give_d_zero_and_no_significance()
    {
        // X = Y = {s = 1, s = −1}: the statistic is 0; the 2-subsets of {1, −1, 1, −1} give 2·sum ∈ {0, 4, 0, 0, −4, 0}.
        var same = new IReadOnlyList<double>[] { X[0], Y[0] };
        var result = Weat.Test(same, same, A, B);
        Assert.Equal(0.0, result.Statistic, 12);
        Assert.Equal(0.0, result.EffectSize, 12);
        Assert.Equal(5.0 / 6, result.PValue, 12);
    }

    [Fact]
    public void Sampled_p_value_agrees_with_the_exact_one()
    {
        var random = new Random(3);
        var sx = Enumerable.Range(0, 8).Select(_ => random.NextDouble() + 0.3).ToArray();
        var sy = Enumerable.Range(0, 8).Select(_ => random.NextDouble()).ToArray();
        var exact = Weat.TestOfAssociations(sx, sy);
        var sampled = Weat.TestOfAssociations(sx, sy, exactLimit: 0, samples: 200_000, seed: 1);
        Assert.True(exact.Exact);
        Assert.Equal(12_870, exact.Partitions);
        Assert.False(sampled.Exact);
        Assert.InRange(sampled.PValue - exact.PValue, -0.005, 0.005);
        Assert.Equal(exact.EffectSize, sampled.EffectSize, 12);
    }

    [Fact]
    public void Combinations_are_binomial_coefficients()
    {
        Assert.Equal(12_870, Weat.Combinations(16, 8));
        Assert.Equal(6, Weat.Combinations(4, 2));
        Assert.Equal(1, Weat.Combinations(5, 0));
        Assert.Equal(0, Weat.Combinations(3, 4));
    }

    [Fact]
    public void Empty_sets_are_refused() =>
        Assert.Throws<ArgumentException>(() => Weat.Test(Array.Empty<IReadOnlyList<double>>(), Y, A, B));
}
