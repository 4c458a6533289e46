using TorchSharp;
using TransformersBook.Adaptation;
using Xunit;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>A low-rank update: zero at the start, r·(in + out) parameters, and a merged layer equal to the wrapped one.</summary>
public class LoRALinearTests
{
    public LoRALinearTests() => TestSetup.Initialize();

    [Fact]
    public void A_new_update_leaves_the_layer_unchanged()
    {
        using var linear = nn.Linear(8, 12);
        using var lora = new LoRALinear(linear, rank: 3, alpha: 6);
        using var x = randn(5, 8);
        using var expected = linear.forward(x);
        using var actual = lora.forward(x);
        Assert.Equal(0.0, (actual - expected).abs().max().item<float>());
        Assert.Equal(0.0, lora.B.abs().max().item<float>());
        Assert.True(lora.A.abs().max().item<float>() > 0);
    }

    [Fact]
    public void It_trains_r_times_in_plus_out_numbers_and_freezes_the_layer()
    {
        using var linear = nn.Linear(8, 12);
        using var lora = new LoRALinear(linear, rank: 3, alpha: 6);
        Assert.Equal(3 * (8 + 12), lora.TrainableCount);
        Assert.Equal(3 * (8 + 12), TrainableParameters.Count(lora));
        Assert.All(linear.parameters(), p => Assert.False(p.requires_grad));
        Assert.Equal(2.0, lora.Update.Scale);
    }

    [Fact]
    public void The_merged_layer_computes_what_the_wrapped_one_does()
    {
        using var linear = nn.Linear(8, 12);
        using var lora = new LoRALinear(linear, rank: 2, alpha: 4);
        using (no_grad()) lora.B.copy_(randn(12, 2));
        using var merged = lora.Merge();
        using var x = randn(5, 8);
        using var wrapped = lora.forward(x);
        using var direct = merged.forward(x);
        Assert.True((wrapped - direct).abs().max().item<float>() < 1e-5);
        // by hand: W₀x + b + (α/r)·B(Ax)
        using var byHand = x.matmul(linear.weight!.T) + linear.bias! + 2.0 * x.matmul(lora.A.T).matmul(lora.B.T);
        Assert.True((wrapped - byHand).abs().max().item<float>() < 1e-5);
    }
}
