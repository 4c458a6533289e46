using TorchSharp;
using TransformersBook.Checks;
using TransformersBook.Distributed;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>Tensor-parallel MLP and attention: every split equals the unsplit layer and TorchSharp's own functions.</summary>
[Collection(ProcessState.Name)]
public class TensorParallelTests
{
    public TensorParallelTests() => TestSetup.Initialize();

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    public void Split_mlp_equals_unsplit(int shards)
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(3);
        var x = torch.randn(2, 5, 16);
        var w1 = torch.randn(64, 16) * 0.2; var b1 = torch.randn(64) * 0.1;
        var w2 = torch.randn(16, 64) * 0.2; var b2 = torch.randn(16) * 0.1;
        var reference = nn.functional.linear(nn.functional.gelu(nn.functional.linear(x, w1, b1)), w2, b2);
        Assert.True(Difference.MaxAbs(TensorParallel.Mlp(x, w1, b1, w2, b2, shards), reference) < 1e-5);
        // One shard alone is only part of the output.
        Assert.True(Difference.MaxAbs(TensorParallel.MlpShard(x, w1, b1, w2, 0, shards) + b2, reference) > 1e-2);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Split_attention_equals_torch_scaled_dot_product_attention(int shards)
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(5);
        const int width = 16, heads = 4, time = 6, headSize = width / heads;
        var x = torch.randn(3, time, width);
        var (wq, wk, wv, wo) = (torch.randn(width, width) * 0.3, torch.randn(width, width) * 0.3, torch.randn(width, width) * 0.3, torch.randn(width, width) * 0.3);
        var bo = torch.randn(width) * 0.1;
        Tensor Heads(Tensor w) => nn.functional.linear(x, w).view(3, time, heads, headSize).transpose(1, 2);
        var mixed = nn.functional.scaled_dot_product_attention(Heads(wq), Heads(wk), Heads(wv), is_casual: true);
        var expected = nn.functional.linear(mixed.transpose(1, 2).reshape(3, time, width), wo, bo);
        var actual = TensorParallel.Attention(x, wq, wk, wv, wo, bo, heads, shards);
        Assert.True(Difference.MaxAbs(actual, expected) < 1e-5);
    }

    [Fact]
    public void Shards_must_divide_evenly()
    {
        Assert.Equal((6L, 3L), TensorParallel.ShardRange(12, 2, 4));
        Assert.Throws<ArgumentException>(() => TensorParallel.ShardRange(10, 0, 4));
    }
}
