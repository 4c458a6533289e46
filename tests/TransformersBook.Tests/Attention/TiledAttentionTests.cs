using TransformersBook.Attention;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>Tiled attention with TorchSharp ops against scaled_dot_product_attention and autograd.</summary>
public class TiledAttentionTests
{
    public TiledAttentionTests() => TestSetup.Initialize();

    [Theory]
    [InlineData(false, 64, 64)]
    [InlineData(true, 64, 64)]
    [InlineData(false, 7, 5)]
    [InlineData(true, 7, 5)]
    [InlineData(true, 16, 32)]
    public void Forward_equals_scaled_dot_product_attention(bool causal, int queryBlock, int keyBlock)
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        var q = randn(2, 3, 45, 8);
        var k = randn(2, 3, 45, 8);
        var v = randn(2, 3, 45, 8);
        var (output, logSumExp) = TiledAttention.Forward(q, k, v, causal, queryBlock, keyBlock);
        var expected = nn.functional.scaled_dot_product_attention(q, k, v, is_casual: causal);
        Assert.True(output.allclose(expected, rtol: 0, atol: 1e-5));
        var scores = q.matmul(k.transpose(-2, -1)) / Math.Sqrt(8);
        if (causal) scores = scores.masked_fill(ones(45, 45, dtype: ScalarType.Bool).triu(1), double.NegativeInfinity);
        Assert.True(logSumExp.allclose(scores.logsumexp(-1), rtol: 0, atol: 1e-5));
    }

    [Theory]
    [InlineData(false, 8, 8)]
    [InlineData(true, 8, 8)]
    [InlineData(true, 7, 5)]
    [InlineData(false, 5, 7)]
    public void Backward_equals_autograd_through_naive_attention(bool causal, int queryBlock, int keyBlock)
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        var q = randn(2, 30, 6, dtype: ScalarType.Float64).requires_grad_();
        var k = randn(2, 30, 6, dtype: ScalarType.Float64).requires_grad_();
        var v = randn(2, 30, 6, dtype: ScalarType.Float64).requires_grad_();
        var upstream = randn(2, 30, 6, dtype: ScalarType.Float64);
        var scores = q.matmul(k.transpose(-2, -1)) / Math.Sqrt(6);
        if (causal) scores = scores.masked_fill(ones(30, 30, dtype: ScalarType.Bool).triu(1), double.NegativeInfinity);
        var naive = scores.softmax(-1).matmul(v);
        (naive * upstream).sum().backward();

        using (no_grad())
        {
            var (output, logSumExp) = TiledAttention.Forward(q, k, v, causal, queryBlock, keyBlock);
            var (dq, dk, dv) = TiledAttention.Backward(q, k, v, output, logSumExp, upstream, causal, queryBlock, keyBlock);
            Assert.True(dq.allclose(q.grad!, rtol: 0, atol: 1e-10));
            Assert.True(dk.allclose(k.grad!, rtol: 0, atol: 1e-10));
            Assert.True(dv.allclose(v.grad!, rtol: 0, atol: 1e-10));
        }
    }
}
