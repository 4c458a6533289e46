using TransformersBook.Positional;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

[Collection(ProcessState.Name)]
public class RotaryEmbeddingTests
{
    public RotaryEmbeddingTests() => TestSetup.Initialize();

    [Fact]
    public void Rotation_preserves_every_vectors_length()
    {
        manual_seed(3);
        var rope = new RotaryEmbedding(headDim: 16);
        using var x = randn(2, 4, 10, 16);
        using var y = rope.forward(x);
        Assert.Equal(x.shape, y.shape);
        using var before = x.norm(-1);
        using var after = y.norm(-1);
        Assert.True(before.allclose(after, rtol: 1e-5, atol: 1e-5));
        // Position 0 is not rotated; later positions are.
        Assert.True(y.narrow(2, 0, 1).allclose(x.narrow(2, 0, 1)));
        Assert.False(y.narrow(2, 3, 1).allclose(x.narrow(2, 3, 1)));
    }

    [Fact]
    public void Scores_depend_only_on_the_relative_offset()
    {
        manual_seed(4);
        var rope = new RotaryEmbedding(headDim: 32);
        using var q = randn(1, 1, 1, 32);
        using var k = randn(1, 1, 1, 32);
        float Score(long queryPosition, long keyPosition)
        {
            using var rq = rope.Apply(q, queryPosition);
            using var rk = rope.Apply(k, keyPosition);
            return (rq * rk).sum().item<float>();
        }
        foreach (var (m, n) in new[] { (5L, 2L), (0L, 7L), (9L, 9L) })
        {
            float reference = Score(m, n);
            foreach (long shift in new[] { 1L, 13L, 1000L })
                Assert.Equal(reference, Score(m + shift, n + shift), 3);
        }
        // A different offset changes the score.
        Assert.True(Math.Abs(Score(5, 2) - Score(5, 3)) > 1e-3);
    }

    [Fact]
    public void Frequencies_follow_the_papers_schedule()
    {
        var rope = new RotaryEmbedding(headDim: 8, theta: 10_000);
        using var theta = rope.Frequencies();
        var values = theta.data<double>().ToArray();
        Assert.Equal(new[] { 1.0, 0.1, 0.01, 0.001 }, values.Select(v => Math.Round(v, 12)).ToArray());
        Assert.Throws<ArgumentException>(() => new RotaryEmbedding(7));
    }

    [Fact]
    public void Rotates_each_pair_by_position_times_theta()
    {
        // One pair (headDim 2, θ₀ = 1): position p turns (1, 0) into (cos p, sin p).
        var rope = new RotaryEmbedding(headDim: 2);
        using var x = tensor(new float[] { 1, 0, 1, 0, 1, 0 }).view(1, 1, 3, 2);
        using var y = rope.forward(x);
        var v = y.data<float>().ToArray();
        for (int p = 0; p < 3; p++)
        {
            Assert.Equal(Math.Cos(p), v[2 * p], 5);
            Assert.Equal(Math.Sin(p), v[2 * p + 1], 5);
        }
    }

    [Fact]
    public void Pairs_adjacent_dimensions_and_turns_each_pair_at_its_own_frequency()
    {
        // headDim 4, θ = 100: pair (0, 1) turns at θ₀ = 1 rad per position, pair (2, 3) at θ₁ = 100^(−2/4) = 0.1.
        // At position 2 the vector (1, 2, 3, 4) becomes, pair by pair, R(2)·(1, 2) and R(0.2)·(3, 4), by hand.
        var rope = new RotaryEmbedding(headDim: 4, theta: 100);
        using var x = tensor(new float[] { 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4 }).view(1, 1, 3, 4);
        using var y = rope.forward(x);
        var v = y[0, 0, 2].data<float>().ToArray();
        double[] expected =
        {
            1 * Math.Cos(2) - 2 * Math.Sin(2), 1 * Math.Sin(2) + 2 * Math.Cos(2),
            3 * Math.Cos(0.2) - 4 * Math.Sin(0.2), 3 * Math.Sin(0.2) + 4 * Math.Cos(0.2),
        };
        for (int i = 0; i < 4; i++) Assert.Equal(expected[i], v[i], 5);
        // The half-split pairing of GPT-NeoX/LLaMA, (0, 2) and (1, 3), would give other numbers: the test tells them apart.
        double halfSplitFirst = 1 * Math.Cos(2) - 3 * Math.Sin(2);
        Assert.True(Math.Abs(halfSplitFirst - v[0]) > 0.1);
    }
}
