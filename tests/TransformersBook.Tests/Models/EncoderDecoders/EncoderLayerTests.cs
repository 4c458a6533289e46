using TorchSharp;
using TransformersBook.Attention;
using TransformersBook.Checks;
using TransformersBook.Models;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>The encoder layer: post-norm and pre-norm wiring written out, and padding that changes nothing.</summary>
[Collection(ProcessState.Name)]
public class EncoderLayerTests
{
    public EncoderLayerTests() => TestSetup.Initialize();

    static Tensor Normalise(Tensor x) => nn.functional.layer_norm(x, new long[] { x.shape[^1] });

    [Fact]
    public void Post_norm_is_LN_of_x_plus_sublayer_of_x()
    {
        using var scope = NewDisposeScope();
        manual_seed(61);
        using var layer = new EncoderLayer(width: 16, heads: 4, feedForwardWidth: 32);
        layer.eval();
        var x = randn(2, 5, 16);
        // Fresh LayerNorms have weight 1 and bias 0, so the functional form without parameters is the same.
        var h = Normalise(x + layer.SelfAttention.forward(x, x, x, null).Output);
        var expected = Normalise(h + layer.FeedForward.forward(h));
        Assert.True(Difference.MaxAbs(layer.forward(x, null), expected) < 1e-5f);
        Assert.False(layer.PreNorm);
    }

    [Fact]
    public void Pre_norm_is_x_plus_sublayer_of_LN_x()
    {
        using var scope = NewDisposeScope();
        manual_seed(62);
        using var layer = new EncoderLayer(width: 16, heads: 4, feedForwardWidth: 32, preNorm: true);
        layer.eval();
        var x = randn(2, 5, 16);
        var n = Normalise(x);
        var h = x + layer.SelfAttention.forward(n, n, n, null).Output;
        var expected = h + layer.FeedForward.forward(Normalise(h));
        Assert.True(Difference.MaxAbs(layer.forward(x, null), expected) < 1e-5f);
    }

    [Fact]
    public void Forward_with_attention_returns_the_forward_output_and_the_attention_of_the_normalised_input()
    {
        using var scope = NewDisposeScope();
        manual_seed(64);
        using var layer = new EncoderLayer(width: 16, heads: 4, feedForwardWidth: 32, preNorm: true);
        layer.eval();
        var x = randn(2, 5, 16);
        var (output, weights) = layer.ForwardWithAttention(x, null);
        var n = Normalise(x);
        Assert.True(Difference.MaxAbs(output, layer.forward(x, null)) < 1e-6f);
        Assert.Equal(new long[] { 2, 4, 5, 5 }, weights.shape);
        Assert.True(Difference.MaxAbs(weights, layer.SelfAttention.forward(n, n, n, null).Weights) < 1e-6f);
        Assert.True((weights.sum(-1) - 1).abs().max().item<float>() < 1e-5f);
    }

    [Fact]
    public void Padded_positions_do_not_change_the_real_ones()
    {
        using var scope = NewDisposeScope();
        manual_seed(63);
        using var layer = new EncoderLayer(width: 16, heads: 4, feedForwardWidth: 32);
        layer.eval();
        var x = randn(1, 6, 16);
        var changed = x.clone();
        changed[0, 4] = randn(16);
        changed[0, 5] = randn(16);
        var mask = AttentionMasks.ForKeys(AttentionMasks.Padding(tensor(new long[] { 4 }), 6));
        var a = layer.forward(x, mask).narrow(1, 0, 4);
        var b = layer.forward(changed, mask).narrow(1, 0, 4);
        Assert.True(Difference.MaxAbs(a, b) < 1e-6f);
        // Without the mask the same change does reach the real positions.
        Assert.True(Difference.MaxAbs(layer.forward(x, null).narrow(1, 0, 4), layer.forward(changed, null).narrow(1, 0, 4)) > 1e-3f);
    }
}
