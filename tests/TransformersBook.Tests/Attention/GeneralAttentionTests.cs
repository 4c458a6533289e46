using TorchSharp;
using TransformersBook.Attention;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>Luong's general score qᵀWk: the bilinear form, its size, and the dot product when W = I.</summary>
[Collection(ProcessState.Name)]
public class GeneralAttentionTests
{
    public GeneralAttentionTests() => TestSetup.Initialize();

    [Fact]
    public void Scores_are_the_bilinear_form_q_W_k()
    {
        using var scope = NewDisposeScope();
        manual_seed(24);
        using var attention = new GeneralAttention(querySize: 3, keySize: 5);
        var queries = randn(2, 4, 3);
        var keys = randn(2, 6, 5);
        var scores = attention.forward(queries, keys);
        Assert.Equal(new long[] { 2, 4, 6 }, scores.shape);
        var w = attention.Bilinear.weight!;
        Assert.Equal(new long[] { 3, 5 }, w.shape);
        float expected = queries[1, 2].dot(w.mv(keys[1, 4])).item<float>();
        Assert.Equal(expected, scores[1, 2, 4].item<float>(), 5);
        Assert.Equal(3 * 5, attention.ParameterCount);
    }

    [Fact]
    public void With_the_identity_it_is_the_dot_product()
    {
        using var scope = NewDisposeScope();
        manual_seed(25);
        using var general = new GeneralAttention(4, 4);
        using (no_grad()) general.Bilinear.weight!.copy_(eye(4));
        using var dot = new DotProductAttention(scaled: false);
        var (q, k) = (randn(2, 3, 4), randn(2, 5, 4));
        Assert.True((general.forward(q, k) - dot.forward(q, k)).abs().max().item<float>() < 1e-6f);
    }
}
