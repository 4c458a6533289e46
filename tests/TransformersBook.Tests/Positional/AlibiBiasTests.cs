using TransformersBook.Positional;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

public class AlibiBiasTests
{
    public AlibiBiasTests() => TestSetup.Initialize();

    [Fact]
    public void Eight_heads_get_slopes_one_half_to_one_over_256()
    {
        var expected = Enumerable.Range(1, 8).Select(h => 1.0 / (1 << h)).ToArray();
        Assert.Equal(expected, AlibiBias.Slopes(8));
    }

    [Fact]
    public void Other_head_counts_interleave_the_next_power_of_two()
    {
        // 12 heads: the 8 slopes for 8 heads, then slopes 1, 3, 5, 7 of the 16-head sequence 2^(−h/2).
        var slopes = AlibiBias.Slopes(12);
        Assert.Equal(AlibiBias.Slopes(8), slopes.Take(8));
        Assert.Equal(new[] { -0.5, -1.5, -2.5, -3.5 }, slopes.Skip(8).Select(Math.Log2).Select(v => Math.Round(v, 12)));
    }

    [Fact]
    public void The_bias_is_minus_slope_times_distance()
    {
        var alibi = new AlibiBias(heads: 4);
        using var bias = alibi.Bias(5, 5);
        Assert.Equal(new long[] { 4, 5, 5 }, bias.shape);
        for (int h = 0; h < 4; h++)
            for (int i = 0; i < 5; i++)
                for (int j = 0; j <= i; j++)
                    Assert.Equal(-alibi.HeadSlopes[h] * (i - j), bias[h, i, j].item<float>(), 5);
        using var logits = ones(2, 4, 5, 5);
        using var added = alibi.forward(logits);
        Assert.True(added[1].allclose(bias + 1));
    }
}
