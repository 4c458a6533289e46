using TorchSharp;
using TransformersBook.Attention;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>Dot-product scoring: qᵀk, scaled or not, no parameters, the same attention as the fused kernel.</summary>
[Collection(ProcessState.Name)]
public class DotProductAttentionTests
{
    public DotProductAttentionTests() => TestSetup.Initialize();

    [Fact]
    public void Unscaled_scores_are_dot_products_and_scaled_ones_are_divided_by_root_d()
    {
        using var scope = NewDisposeScope();
        var queries = tensor(new float[] { 1, 2, 0, 1 }).reshape(1, 1, 4);
        var keys = tensor(new float[] { 3, 1, 5, 2, 0, 0, 0, 1 }).reshape(1, 2, 4);
        using var unscaled = new DotProductAttention(scaled: false);
        using var scaled = new DotProductAttention();
        Assert.Equal(new[] { 7f, 1f }, unscaled.forward(queries, keys).reshape(-1).data<float>().ToArray());
        Assert.Equal(new[] { 3.5f, 0.5f }, scaled.forward(queries, keys).reshape(-1).data<float>().ToArray());
        Assert.Equal(0, scaled.ParameterCount);
    }

    [Fact]
    public void Attend_with_scaling_equals_scaled_dot_product_attention()
    {
        using var scope = NewDisposeScope();
        manual_seed(23);
        var (q, k, v) = (randn(2, 3, 8), randn(2, 5, 8), randn(2, 5, 4));
        using var attention = new DotProductAttention();
        var (output, _) = attention.Attend(q, k, v);
        Assert.True((output - nn.functional.scaled_dot_product_attention(q, k, v)).abs().max().item<float>() < 1e-5f);
    }

    [Fact]
    public void Queries_and_keys_of_different_sizes_are_refused()
    {
        using var scope = NewDisposeScope();
        using var attention = new DotProductAttention();
        Assert.Throws<ArgumentException>(() => attention.forward(randn(1, 2, 3), randn(1, 2, 4)));
    }
}
