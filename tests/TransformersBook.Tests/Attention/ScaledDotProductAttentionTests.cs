using TorchSharp;
using TransformersBook.Attention;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>Attention written out equals TorchSharp's fused scaled_dot_product_attention, with and without masks.</summary>
[Collection(ProcessState.Name)]
public class ScaledDotProductAttentionTests
{
    public ScaledDotProductAttentionTests() => TestSetup.Initialize();

    static float MaxDifference(Tensor a, Tensor b) => (a - b).abs().max().item<float>();

    static (Tensor Q, Tensor K, Tensor V) Inputs(long queries = 5, long keys = 5)
    {
        manual_seed(11);
        return (randn(2, 3, queries, 8), randn(2, 3, keys, 8), randn(2, 3, keys, 6));
    }

    [Fact]
    public void Without_a_mask_it_equals_torch()
    {
        using var scope = NewDisposeScope();
        var (q, k, v) = Inputs(4, 7);
        var (output, weights) = ScaledDotProductAttention.Compute(q, k, v);
        Assert.Equal(new long[] { 2, 3, 4, 6 }, output.shape);
        Assert.Equal(new long[] { 2, 3, 4, 7 }, weights.shape);
        Assert.True(MaxDifference(output, nn.functional.scaled_dot_product_attention(q, k, v)) < 1e-5f);
        Assert.True(MaxDifference(weights.sum(-1), ones(2, 3, 4)) < 1e-5f);
    }

    [Fact]
    public void The_weights_are_the_softmax_of_scaled_scores()
    {
        using var scope = NewDisposeScope();
        var (q, k, v) = Inputs();
        var (_, weights) = ScaledDotProductAttention.Compute(q, k, v);
        var expected = nn.functional.softmax(matmul(q, k.transpose(-2, -1)) / Math.Sqrt(8), -1);
        Assert.True(MaxDifference(weights, expected) < 1e-6f);
    }

    [Fact]
    public void The_causal_flag_equals_torch_is_causal_and_the_causal_mask()
    {
        using var scope = NewDisposeScope();
        var (q, k, v) = Inputs();
        var (output, weights) = ScaledDotProductAttention.Compute(q, k, v, causal: true);
        Assert.True(MaxDifference(output, nn.functional.scaled_dot_product_attention(q, k, v, is_casual: true)) < 1e-5f);
        Assert.Equal(0f, weights.triu(1).abs().max().item<float>());
        var (masked, _) = ScaledDotProductAttention.Compute(q, k, v, mask: AttentionMasks.Causal(5));
        Assert.True(MaxDifference(output, masked) < 1e-6f);
    }

    [Fact]
    public void A_padding_mask_equals_torch_with_the_same_boolean_mask()
    {
        using var scope = NewDisposeScope();
        var (q, k, v) = Inputs();
        var mask = AttentionMasks.ForKeys(AttentionMasks.Padding(tensor(new long[] { 3, 5 }), 5));
        var (output, weights) = ScaledDotProductAttention.Compute(q, k, v, mask);
        Assert.True(MaxDifference(output, nn.functional.scaled_dot_product_attention(q, k, v, attn_mask: mask)) < 1e-5f);
        Assert.Equal(0f, weights[0].narrow(-1, 3, 2).abs().max().item<float>());
    }

    [Fact]
    public void Padding_and_causal_together_and_the_additive_form_equal_torch()
    {
        using var scope = NewDisposeScope();
        var (q, k, v) = Inputs();
        var padding = AttentionMasks.ForKeys(AttentionMasks.Padding(tensor(new long[] { 4, 5 }), 5));
        var expected = nn.functional.scaled_dot_product_attention(q, k, v, attn_mask: AttentionMasks.Combine(AttentionMasks.Causal(5), padding));
        var (withFlag, _) = ScaledDotProductAttention.Compute(q, k, v, padding, causal: true);
        var (additive, _) = ScaledDotProductAttention.Compute(q, k, v, AttentionMasks.ToAdditive(padding), causal: true);
        Assert.True(MaxDifference(withFlag, expected) < 1e-5f);
        Assert.True(MaxDifference(additive, expected) < 1e-5f);
    }

    [Fact]
    public void A_query_with_nothing_to_attend_to_gets_zero_output()
    {
        using var scope = NewDisposeScope();
        var (q, k, v) = Inputs();
        var keep = ones(5, 5, dtype: ScalarType.Bool);
        keep[2] = zeros(5, dtype: ScalarType.Bool);
        var (output, weights) = ScaledDotProductAttention.Compute(q, k, v, keep);
        Assert.False(output.isnan().any().item<bool>());
        Assert.Equal(0f, output.select(2, 2).abs().max().item<float>());
        Assert.Equal(0f, weights.select(2, 2).abs().max().item<float>());
    }

    [Fact]
    public void Dropout_drops_weights_applied_but_not_weights_returned()
    {
        using var scope = NewDisposeScope();
        var (q, k, v) = Inputs();
        var (plain, plainWeights) = ScaledDotProductAttention.Compute(q, k, v);
        var (all, allWeights) = ScaledDotProductAttention.Compute(q, k, v, dropout: 1.0);
        Assert.Equal(0f, all.abs().max().item<float>());
        Assert.True(MaxDifference(plainWeights, allWeights) < 1e-7f);
        var (half, _) = ScaledDotProductAttention.Compute(q, k, v, dropout: 0.5, generator: new Generator(3));
        Assert.True(MaxDifference(plain, half) > 1e-3f);
    }
}
