using TorchSharp;
using TransformersBook.Adaptation;
using TransformersBook.Models;
using TransformersBook.Quantization;
using Xunit;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>QLoRA: an NF4 base dequantized in the forward pass plus a LoRA update, and gradients only for A and B.</summary>
[Collection(ProcessState.Name)]
public class QLoRALinearTests
{
    public QLoRALinearTests() => TestSetup.Initialize();

    static float MaxDifference(Tensor a, Tensor b) => (a - b).abs().max().item<float>();

    [Fact]
    public void It_computes_lora_on_the_dequantized_weight()
    {
        manual_seed(11);
        using var linear = nn.Linear(64, 32);
        using var qlora = new QLoRALinear(linear, rank: 2, alpha: 4);
        using (no_grad()) qlora.B.copy_(randn(32, 2));
        using var x = randn(5, 64);
        using var weight = NormalFloat4.RoundTrip(linear.weight!, 64, doubleQuantization: true);
        using var byHand = x.matmul(weight.T) + linear.bias! + 2.0 * x.matmul(qlora.A.T).matmul(qlora.B.T);
        using var output = qlora.forward(x);
        Assert.True(MaxDifference(output, byHand) < 1e-5);
        using var merged = qlora.MergedWeight();
        Assert.True(MaxDifference(x.matmul(merged.T) + linear.bias!, output) < 1e-5);
    }

    [Fact]
    public void Gradients_reach_only_the_lora_matrices()
    {
        manual_seed(12);
        using var linear = nn.Linear(64, 32);
        using var qlora = new QLoRALinear(linear, rank: 2, alpha: 4);
        using (no_grad()) qlora.B.copy_(randn(32, 2));
        using var x = randn(5, 64);
        qlora.forward(x).pow(2).sum().backward();
        Assert.Equal(new[] { qlora.A.Handle, qlora.B.Handle }.ToHashSet(), TrainableParameters.Of(qlora).Select(p => p.Handle).ToHashSet());
        Assert.True(qlora.A.grad is not null && qlora.A.grad.abs().max().item<float>() > 0);
        Assert.True(qlora.B.grad is not null && qlora.B.grad.abs().max().item<float>() > 0);
        Assert.All(linear.parameters(), p => { Assert.False(p.requires_grad); Assert.True(p.grad is null); });
        Assert.Equal(2 * (64 + 32), qlora.TrainableCount);
    }

    [Fact]
    public void QLoRA_on_a_gpt_starts_at_the_gpt_with_nf4_weights_and_trains_only_a_and_b()
    {
        var config = new GptConfig(VocabularySize: 20, ContextLength: 16, Layers: 2, Heads: 2, Width: 64);
        manual_seed(13);
        using var model = new Gpt(config);
        using var x = randint(0, 20, new long[] { 3, 16 });
        using var qlora = QLoRA.Apply(model, rank: 2, alpha: 4);
        Assert.Equal(8, qlora.QLoRALayers.Count);
        Assert.Empty(qlora.LoRALayers);
        var expected = qlora.QLoRALayers.Values.SelectMany(l => new[] { l.A.Handle, l.B.Handle }).ToHashSet();
        Assert.Equal(expected, TrainableParameters.Of(qlora).Select(p => p.Handle).ToHashSet());
        // B = 0, so the adapted model is the GPT whose targeted weights are their NF4 round trips: its merged copy.
        using var merged = qlora.MergeLoRA();
        using var direct = qlora.forward(x);
        using var viaMerge = merged.forward(x);
        Assert.True(MaxDifference(direct, viaMerge) < 1e-4);
        using var original = model.forward(x);
        Assert.True(MaxDifference(direct, original) > 0);
        qlora.Loss(x, x).backward();
        Assert.All(model.parameters(), p => Assert.True(p.grad is null));
        Assert.All(qlora.QLoRALayers.Values, l => Assert.True(l.A.grad is not null && l.B.grad is not null));
    }
}
