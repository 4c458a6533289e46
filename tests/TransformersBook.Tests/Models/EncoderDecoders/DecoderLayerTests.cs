using TorchSharp;
using TransformersBook.Attention;
using TransformersBook.Checks;
using TransformersBook.Models;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>The decoder layer: its post-norm wiring, causality, and cross-attention that ignores padded memory.</summary>
[Collection(ProcessState.Name)]
public class DecoderLayerTests
{
    public DecoderLayerTests() => TestSetup.Initialize();

    static Tensor Normalise(Tensor x) => nn.functional.layer_norm(x, new long[] { x.shape[^1] });

    [Fact]
    public void Post_norm_is_self_attention_then_cross_attention_then_feed_forward()
    {
        using var scope = NewDisposeScope();
        manual_seed(71);
        using var layer = new DecoderLayer(width: 16, heads: 2, feedForwardWidth: 32);
        layer.eval();
        var x = randn(2, 4, 16);
        var memory = randn(2, 6, 16);
        var causal = AttentionMasks.Causal(4);
        var h = Normalise(x + layer.SelfAttention.forward(x, x, x, causal).Output);
        var (crossed, crossWeights) = layer.CrossAttention.forward(h, memory, memory, null);
        h = Normalise(h + crossed);
        var expected = Normalise(h + layer.FeedForward.forward(h));
        var (output, weights) = layer.forward(x, memory, causal, null);
        Assert.True(Difference.MaxAbs(output, expected) < 1e-5f);
        Assert.True(Difference.MaxAbs(weights, crossWeights) < 1e-6f);
        Assert.Equal(new long[] { 2, 2, 4, 6 }, weights.shape);
    }

    [Fact]
    public void Pre_norm_normalises_each_sublayer_s_input()
    {
        using var scope = NewDisposeScope();
        manual_seed(73);
        using var layer = new DecoderLayer(width: 16, heads: 2, feedForwardWidth: 32, preNorm: true);
        layer.eval();
        var x = randn(2, 4, 16);
        var memory = randn(2, 6, 16);
        var causal = AttentionMasks.Causal(4);
        var n = Normalise(x);
        var h = x + layer.SelfAttention.forward(n, n, n, causal).Output;
        var (crossed, crossWeights) = layer.CrossAttention.forward(Normalise(h), memory, memory, null);
        h = h + crossed;
        var expected = h + layer.FeedForward.forward(Normalise(h));
        var (output, weights) = layer.forward(x, memory, causal, null);
        Assert.True(Difference.MaxAbs(output, expected) < 1e-5f);
        Assert.True(Difference.MaxAbs(weights, crossWeights) < 1e-6f);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_position_never_sees_later_targets_nor_padded_memory(bool preNorm)
    {
        using var scope = NewDisposeScope();
        manual_seed(72);
        using var layer = new DecoderLayer(width: 16, heads: 2, feedForwardWidth: 32, preNorm: preNorm);
        layer.eval();
        var x = randn(1, 5, 16);
        var memory = randn(1, 6, 16);
        var memoryMask = AttentionMasks.ForKeys(AttentionMasks.Padding(tensor(new long[] { 4 }), 6));
        var (a, weights) = layer.forward(x, memory, AttentionMasks.Causal(5), memoryMask);
        var laterChanged = x.clone();
        laterChanged[0, 3] = randn(16);
        var paddingChanged = memory.clone();
        paddingChanged[0, 5] = randn(16);
        var (b, _) = layer.forward(laterChanged, memory, AttentionMasks.Causal(5), memoryMask);
        var (c, _) = layer.forward(x, paddingChanged, AttentionMasks.Causal(5), memoryMask);
        Assert.True(Difference.MaxAbs(a.narrow(1, 0, 3), b.narrow(1, 0, 3)) < 1e-6f);
        Assert.True(Difference.MaxAbs(a.narrow(1, 3, 1), b.narrow(1, 3, 1)) > 1e-3f);
        Assert.True(Difference.MaxAbs(a, c) < 1e-6f);
        Assert.Equal(0f, weights.narrow(-1, 4, 2).abs().max().item<float>());
    }
}
