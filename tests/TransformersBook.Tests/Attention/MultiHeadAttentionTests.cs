using TorchSharp;
using TransformersBook.Attention;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>
/// Multi-head attention from scratch: its size, its heads computed one at a time, and equality with TorchSharp's
/// nn.MultiheadAttention (libtorch's C++ module) given the same weights.
/// </summary>
[Collection(ProcessState.Name)]
public class MultiHeadAttentionTests
{
    public MultiHeadAttentionTests() => TestSetup.Initialize();

    static float MaxDifference(Tensor a, Tensor b) => (a - b).abs().max().item<float>();

    [Fact]
    public void It_has_4d_squared_plus_4d_parameters()
    {
        using var attention = new MultiHeadAttention(width: 48, heads: 6);
        Assert.Equal(4L * 48 * 48 + 4 * 48, attention.parameters().Sum(p => p.numel()));
        Assert.Equal(8, attention.HeadSize);
        Assert.Throws<ArgumentException>(() => new MultiHeadAttention(width: 48, heads: 5));
    }

    [Fact]
    public void Each_head_is_attention_in_its_own_slice_of_the_projections()
    {
        using var scope = NewDisposeScope();
        manual_seed(31);
        using var attention = new MultiHeadAttention(width: 12, heads: 3);
        var x = randn(2, 5, 12);
        var (output, weights) = attention.forward(x, x, x, null);
        Assert.Equal(new long[] { 2, 5, 12 }, output.shape);
        Assert.Equal(new long[] { 2, 3, 5, 5 }, weights.shape);
        var heads = new List<Tensor>();
        for (int h = 0; h < 3; h++)
        {
            Tensor Project(TorchSharp.Modules.Linear linear) =>
                nn.functional.linear(x, linear.weight!.narrow(0, 4 * h, 4), linear.bias!.narrow(0, 4 * h, 4));
            var (head, headWeights) = ScaledDotProductAttention.Compute(Project(attention.QueryProjection), Project(attention.KeyProjection), Project(attention.ValueProjection));
            Assert.True(MaxDifference(headWeights, weights.select(1, h)) < 1e-6f);
            heads.Add(head);
        }
        var expected = attention.OutputProjection.forward(cat(heads, dim: -1));
        Assert.True(MaxDifference(output, expected) < 1e-5f);
    }

    /// <summary>
    /// Copies our W^Q, W^K, W^V into TorchSharp's packed in_proj_weight (3d × d, rows in that order) and W^O into
    /// out_proj. libtorch's module takes (time, batch, d) and returns the weights averaged over the heads.
    /// </summary>
    static TorchSharp.Modules.MultiheadAttention TorchCopy(MultiHeadAttention ours)
    {
        var theirs = nn.MultiheadAttention(ours.Width, ours.Heads);
        var parameters = theirs.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.Equal(new[] { "in_proj_bias", "in_proj_weight", "out_proj.bias", "out_proj.weight" }, parameters.Keys.OrderBy(n => n, StringComparer.Ordinal));
        using var noGrad = no_grad();
        parameters["in_proj_weight"].copy_(cat(new[] { ours.QueryProjection.weight!, ours.KeyProjection.weight!, ours.ValueProjection.weight! }, 0));
        parameters["in_proj_bias"].copy_(cat(new[] { ours.QueryProjection.bias!, ours.KeyProjection.bias!, ours.ValueProjection.bias! }, 0));
        parameters["out_proj.weight"].copy_(ours.OutputProjection.weight!);
        parameters["out_proj.bias"].copy_(ours.OutputProjection.bias!);
        return theirs;
    }

    [Fact]
    public void Self_attention_equals_torch_MultiheadAttention_with_the_same_weights()
    {
        using var scope = NewDisposeScope();
        manual_seed(32);
        using var ours = new MultiHeadAttention(width: 16, heads: 4);
        using var theirs = TorchCopy(ours);
        var x = randn(3, 7, 16);
        var causal = AttentionMasks.Causal(7);
        var (output, weights) = ours.forward(x, x, x, causal);
        var xt = x.transpose(0, 1);
        // The additive form (0 / −∞): TorchSharp 0.107's module left a boolean attn_mask unapplied when we tried it
        // (every key got weight), while its key_padding_mask is boolean with true = ignore, the opposite of ours.
        var (expected, expectedWeights) = theirs.call(xt, xt, xt, attn_mask: AttentionMasks.ToAdditive(causal));
        Assert.True(MaxDifference(output, expected.transpose(0, 1)) < 1e-5f);
        Assert.True(MaxDifference(weights.mean(new long[] { 1 }), expectedWeights) < 1e-5f);
    }

    [Fact]
    public void Cross_attention_with_a_key_padding_mask_equals_torch_MultiheadAttention()
    {
        using var scope = NewDisposeScope();
        manual_seed(33);
        using var ours = new MultiHeadAttention(width: 16, heads: 2);
        using var theirs = TorchCopy(ours);
        var queries = randn(2, 4, 16);
        var memory = randn(2, 6, 16);
        var keep = AttentionMasks.Padding(tensor(new long[] { 6, 3 }), 6);
        var (output, weights) = ours.forward(queries, memory, memory, AttentionMasks.ForKeys(keep));
        var m = memory.transpose(0, 1);
        var (expected, expectedWeights) = theirs.call(queries.transpose(0, 1), m, m, key_padding_mask: keep.logical_not());
        Assert.True(MaxDifference(output, expected.transpose(0, 1)) < 1e-5f);
        Assert.True(MaxDifference(weights.mean(new long[] { 1 }), expectedWeights) < 1e-5f);
        Assert.Equal(0f, weights[1].narrow(-1, 3, 3).abs().max().item<float>());
    }

    [Fact]
    public void Dropout_acts_only_while_training()
    {
        using var scope = NewDisposeScope();
        manual_seed(34);
        using var attention = new MultiHeadAttention(width: 8, heads: 2, dropout: 0.5);
        var x = randn(1, 6, 8);
        attention.eval();
        var first = attention.forward(x, x, x, null).Output;
        var second = attention.forward(x, x, x, null).Output;
        Assert.Equal(0f, MaxDifference(first, second));
        attention.train();
        Assert.True(MaxDifference(first, attention.forward(x, x, x, null).Output) > 1e-4f);
    }
}
