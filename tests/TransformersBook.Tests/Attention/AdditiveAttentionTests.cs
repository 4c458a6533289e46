using TorchSharp;
using TransformersBook.Attention;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>Bahdanau's additive score against the formula evaluated pair by pair, its size, and its masking.</summary>
[Collection(ProcessState.Name)]
public class AdditiveAttentionTests
{
    public AdditiveAttentionTests() => TestSetup.Initialize();

    [Fact]
    public void Scores_equal_v_tanh_of_projected_query_plus_key_for_each_pair()
    {
        using var scope = NewDisposeScope();
        manual_seed(21);
        using var attention = new AdditiveAttention(querySize: 3, keySize: 5, hidden: 4);
        var queries = randn(2, 2, 3);
        var keys = randn(2, 6, 5);
        var scores = attention.forward(queries, keys);
        Assert.Equal(new long[] { 2, 2, 6 }, scores.shape);
        var wq = attention.QueryProjection.weight!;
        var wk = attention.KeyProjection.weight!;
        var v = attention.ScoreVector.weight!.squeeze(0);
        for (int b = 0; b < 2; b++)
            for (int i = 0; i < 2; i++)
                for (int j = 0; j < 6; j++)
                {
                    var expected = v.dot(tanh(wq.mv(queries[b, i]) + wk.mv(keys[b, j]))).item<float>();
                    Assert.Equal(expected, scores[b, i, j].item<float>(), 5);
                }
    }

    [Fact]
    public void It_has_hidden_times_query_plus_key_plus_one_parameters()
    {
        using var attention = new AdditiveAttention(querySize: 3, keySize: 5, hidden: 4);
        Assert.Equal(4 * (3 + 5 + 1), attention.ParameterCount);
    }

    [Fact]
    public void Attend_averages_the_values_with_weights_that_skip_masked_keys()
    {
        using var scope = NewDisposeScope();
        manual_seed(22);
        using var attention = new AdditiveAttention(3, 3, 8);
        var queries = randn(1, 2, 3);
        var keys = randn(1, 4, 3);
        var values = randn(1, 4, 2);
        var keep = tensor(new[] { true, true, false, true }).reshape(1, 1, 4);
        var (output, weights) = attention.Attend(queries, keys, values, keep);
        Assert.Equal(new long[] { 1, 2, 2 }, output.shape);
        Assert.Equal(0f, weights.select(2, 2).abs().max().item<float>());
        Assert.True((weights.sum(-1) - 1).abs().max().item<float>() < 1e-6f);
        Assert.True((output - matmul(weights, values)).abs().max().item<float>() < 1e-6f);
    }

    [Fact]
    public void Without_a_bias_the_score_is_odd_in_query_and_key_together_and_a_bias_breaks_that()
    {
        using var scope = NewDisposeScope();
        manual_seed(23);
        var queries = randn(1, 3, 4);
        var keys = randn(1, 5, 4);
        using var plain = new AdditiveAttention(4, 4, 6);
        var odd = plain.forward(queries, keys) + plain.forward(-queries, -keys);
        Assert.True(odd.abs().max().item<float>() < 1e-6f);

        using var biased = new AdditiveAttention(4, 4, 6, bias: true);
        Assert.Equal(6 * (4 + 4 + 1) + 6, biased.ParameterCount);
        var broken = biased.forward(queries, keys) + biased.forward(-queries, -keys);
        Assert.True(broken.abs().max().item<float>() > 1e-3f);
    }
}
