using TorchSharp;
using TransformersBook.Positional;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>The 2017 sinusoidal encoding against its formula, and the module that adds it.</summary>
[Collection(ProcessState.Name)]
public class SinusoidalPositionalEncodingTests
{
    public SinusoidalPositionalEncodingTests() => TestSetup.Initialize();

    [Fact]
    public void The_table_follows_the_formula()
    {
        using var table = SinusoidalPositionalEncoding.Table(50, 16);
        Assert.Equal(new long[] { 50, 16 }, table.shape);
        foreach (var pos in new[] { 0, 1, 7, 49 })
            for (int i = 0; i < 8; i++)
            {
                double angle = pos / Math.Pow(10000, 2.0 * i / 16);
                Assert.Equal(Math.Sin(angle), table[pos, 2 * i].item<float>(), 1e-5);
                Assert.Equal(Math.Cos(angle), table[pos, 2 * i + 1].item<float>(), 1e-5);
            }
    }

    [Fact]
    public void A_shift_by_k_is_the_same_rotation_at_every_position()
    {
        // For each frequency, (sin, cos) at pos + k is (sin, cos) at pos rotated by k·ω: the property that lets attention
        // read relative positions from these codes.
        using var scope = NewDisposeScope();
        var table = SinusoidalPositionalEncoding.Table(40, 8).to_type(ScalarType.Float64);
        const int k = 5;
        for (int i = 0; i < 4; i++)
        {
            double omega = 1 / Math.Pow(10000, 2.0 * i / 8);
            double c = Math.Cos(k * omega), s = Math.Sin(k * omega);
            foreach (var pos in new[] { 0, 13, 30 })
            {
                double sinP = table[pos, 2 * i].item<double>(), cosP = table[pos, 2 * i + 1].item<double>();
                Assert.Equal(sinP * c + cosP * s, table[pos + k, 2 * i].item<double>(), 1e-5);
                Assert.Equal(cosP * c - sinP * s, table[pos + k, 2 * i + 1].item<double>(), 1e-5);
            }
        }
    }

    [Fact]
    public void The_module_adds_the_table_to_each_sequence()
    {
        using var scope = NewDisposeScope();
        using var encoding = new SinusoidalPositionalEncoding(width: 8, maxLength: 20);
        var x = randn(3, 6, 8);
        var y = encoding.forward(x);
        Assert.True((y - x - SinusoidalPositionalEncoding.Table(6, 8).unsqueeze(0)).abs().max().item<float>() < 1e-6f);
        Assert.Empty(encoding.parameters());
        Assert.Empty(encoding.state_dict());
    }

    [Fact]
    public void Dropout_applies_to_the_sum_only_while_training()
    {
        using var scope = NewDisposeScope();
        manual_seed(91);
        using var encoding = new SinusoidalPositionalEncoding(width: 8, maxLength: 20, dropout: 0.5);
        var x = randn(2, 10, 8);
        var sum = x + SinusoidalPositionalEncoding.Table(10, 8);
        encoding.eval();
        Assert.True((encoding.forward(x) - sum).abs().max().item<float>() < 1e-6f);
        encoding.train();
        var dropped = encoding.forward(x);
        // Inverted dropout: each entry is either 0 or twice the sum.
        var zeroed = dropped.eq(0);
        Assert.True(zeroed.any().item<bool>());
        Assert.True((dropped - 2 * sum).abs().masked_fill(zeroed, 0).max().item<float>() < 1e-5f);
    }

    [Fact]
    public void Odd_widths_and_too_long_sequences_are_refused()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => SinusoidalPositionalEncoding.Table(4, 7));
        Assert.Throws<ArgumentException>(() => new SinusoidalPositionalEncoding(7, 4));
        using var encoding = new SinusoidalPositionalEncoding(width: 8, maxLength: 4);
        Assert.Throws<ArgumentException>(() => encoding.forward(zeros(1, 5, 8)));
    }
}
