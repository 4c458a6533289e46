using TorchSharp;
using TransformersBook.Blocks;
using Xunit;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>Post-norm is LN(x + f(x)), pre-norm is x + f(LN(x)), with dropout only where it is given.</summary>
[Collection(ProcessState.Name)]
public class ResidualSublayerTests
{
    public ResidualSublayerTests() => TestSetup.Initialize();

    static Tensor Doubled(Tensor h) => 2 * h;

    [Fact]
    public void Post_norm_normalises_the_sum()
    {
        var x = randn(2, 3, 8, generator: new Generator(seed: 3));
        var norm = nn.LayerNorm(8);
        var expected = nn.functional.layer_norm(3 * x, new long[] { 8 });
        Assert.True(allclose(ResidualSublayer.Apply(x, norm, preNorm: false, Doubled), expected, atol: 1e-6));
    }

    [Fact]
    public void Pre_norm_normalises_the_sublayers_input_only()
    {
        var x = randn(2, 3, 8, generator: new Generator(seed: 4));
        var norm = nn.LayerNorm(8);
        var expected = x + 2 * nn.functional.layer_norm(x, new long[] { 8 });
        Assert.True(allclose(ResidualSublayer.Apply(x, norm, preNorm: true, Doubled), expected, atol: 1e-6));
    }

    [Fact]
    public void Dropout_applies_to_the_sublayers_output_in_training()
    {
        var x = ones(1, 1, 1000);
        var dropout = nn.Dropout(0.5);
        dropout.train();
        // LayerNorm of a constant row is 0, so f(LN(x)) = 1 everywhere; dropout zeroes about half of it (leaving x as it
        // was) and doubles the rest.
        var y = ResidualSublayer.Apply(x, nn.LayerNorm(1000), preNorm: true, h => h + 1, dropout);
        int unchanged = (int)(y == x).sum().item<long>();
        Assert.InRange(unchanged, 400, 600);
    }
}
