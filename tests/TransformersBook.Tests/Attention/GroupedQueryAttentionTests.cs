using TorchSharp;
using TransformersBook.Attention;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>Grouped-query attention: MHA when g = h, MHA with shared key/value heads when g &lt; h, and its size.</summary>
[Collection(ProcessState.Name)]
public class GroupedQueryAttentionTests
{
    public GroupedQueryAttentionTests() => TestSetup.Initialize();

    static float MaxDifference(Tensor a, Tensor b) => (a - b).abs().max().item<float>();

    static void CopyInto(TorchSharp.Modules.Linear target, Tensor weight, Tensor bias)
    {
        using var noGrad = no_grad();
        target.weight!.copy_(weight);
        target.bias!.copy_(bias);
    }

    [Fact]
    public void With_as_many_key_value_heads_as_query_heads_it_is_multi_head_attention()
    {
        using var scope = NewDisposeScope();
        manual_seed(41);
        using var mha = new MultiHeadAttention(width: 16, heads: 4);
        using var gqa = new GroupedQueryAttention(width: 16, heads: 4, keyValueHeads: 4);
        CopyInto(gqa.QueryProjection, mha.QueryProjection.weight!, mha.QueryProjection.bias!);
        CopyInto(gqa.KeyProjection, mha.KeyProjection.weight!, mha.KeyProjection.bias!);
        CopyInto(gqa.ValueProjection, mha.ValueProjection.weight!, mha.ValueProjection.bias!);
        CopyInto(gqa.OutputProjection, mha.OutputProjection.weight!, mha.OutputProjection.bias!);
        var x = randn(2, 6, 16);
        var mask = AttentionMasks.Causal(6);
        var (expected, expectedWeights) = mha.forward(x, x, x, mask);
        var (output, weights) = gqa.forward(x, x, x, mask);
        Assert.True(MaxDifference(output, expected) < 1e-6f);
        Assert.True(MaxDifference(weights, expectedWeights) < 1e-6f);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(1)]
    public void Fewer_key_value_heads_equal_multi_head_attention_whose_groups_share_keys_and_values(int keyValueHeads)
    {
        // Multi-head attention in which the query heads of a group use copies of one key/value projection is exactly
        // grouped-query attention: the first group's heads read key/value head 0, the next group's head 1, …
        using var scope = NewDisposeScope();
        manual_seed(42);
        const int width = 16, heads = 4, headSize = 4;
        using var gqa = new GroupedQueryAttention(width, heads, keyValueHeads);
        using var mha = new MultiHeadAttention(width, heads);
        Tensor Repeat(Tensor t) => t.view(keyValueHeads, headSize, -1).repeat_interleave(heads / keyValueHeads, dim: 0).reshape(heads * headSize, -1);
        CopyInto(mha.QueryProjection, gqa.QueryProjection.weight!, gqa.QueryProjection.bias!);
        CopyInto(mha.KeyProjection, Repeat(gqa.KeyProjection.weight!), Repeat(gqa.KeyProjection.bias!).squeeze(-1));
        CopyInto(mha.ValueProjection, Repeat(gqa.ValueProjection.weight!), Repeat(gqa.ValueProjection.bias!).squeeze(-1));
        CopyInto(mha.OutputProjection, gqa.OutputProjection.weight!, gqa.OutputProjection.bias!);
        var queries = randn(2, 3, width);
        var memory = randn(2, 5, width);
        var mask = AttentionMasks.ForKeys(AttentionMasks.Padding(tensor(new long[] { 5, 2 }), 5));
        var (output, weights) = gqa.forward(queries, memory, memory, mask);
        var (expected, expectedWeights) = mha.forward(queries, memory, memory, mask);
        Assert.True(MaxDifference(output, expected) < 1e-5f);
        Assert.True(MaxDifference(weights, expectedWeights) < 1e-6f);
    }

    [Fact]
    public void Key_and_value_projections_shrink_to_g_heads()
    {
        using var mqa = new GroupedQueryAttention(width: 64, heads: 8, keyValueHeads: 1);
        using var gqa = new GroupedQueryAttention(width: 64, heads: 8, keyValueHeads: 2);
        // Q and O: 2(d² + d); K and V: 2(d·g·d_k + g·d_k) with d_k = 8.
        Assert.Equal(2L * (64 * 64 + 64) + 2L * (64 * 8 + 8), mqa.parameters().Sum(p => p.numel()));
        Assert.Equal(2L * (64 * 64 + 64) + 2L * (64 * 16 + 16), gqa.parameters().Sum(p => p.numel()));
        Assert.Equal(new long[] { 16, 64 }, gqa.KeyProjection.weight!.shape);
        Assert.Throws<ArgumentException>(() => new GroupedQueryAttention(64, 8, 3));
    }

    [Fact]
    public void Dropout_acts_only_while_training()
    {
        using var scope = NewDisposeScope();
        manual_seed(43);
        using var attention = new GroupedQueryAttention(width: 16, heads: 4, keyValueHeads: 2, dropout: 0.5);
        var x = randn(1, 6, 16);
        attention.eval();
        var first = attention.forward(x, x, x, null).Output;
        Assert.Equal(0f, MaxDifference(first, attention.forward(x, x, x, null).Output));
        attention.train();
        Assert.True(MaxDifference(first, attention.forward(x, x, x, null).Output) > 1e-4f);
    }
}
