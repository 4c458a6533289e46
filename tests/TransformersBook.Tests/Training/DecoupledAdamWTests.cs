using TorchSharp;
using TransformersBook.Checks;
using TransformersBook.Training;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>The written-out AdamW against a hand-computed first step and TorchSharp's optim.AdamW over many steps.</summary>
[Collection(ProcessState.Name)]
public class DecoupledAdamWTests
{
    public DecoupledAdamWTests() => TestSetup.Initialize();

    [Fact]
    public void First_step_by_hand()
    {
        using var scope = NewDisposeScope();
        // θ = 2, g = 0.5, η = 0.1, λ = 0.1: decay gives 2·(1 − 0.01) = 1.98; m̂ = g, v̂ = g², so the step is η·g/(|g| + ε) ≈ 0.1.
        var theta = tensor(new float[] { 2f }).requires_grad_();
        (theta * 0.5f).sum().backward();
        using var adamW = new DecoupledAdamW(new[] { theta }, learningRate: 0.1, weightDecay: 0.1);
        adamW.Step();
        Assert.Equal(1.98 - 0.1 * 0.5 / (0.5 + 1e-8), theta.item<float>(), 5);
    }

    [Fact]
    public void It_equals_torch_AdamW_over_twenty_steps()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var ours = nn.Sequential(nn.Linear(6, 5), nn.Tanh(), nn.Linear(5, 3));
        var theirs = nn.Sequential(nn.Linear(6, 5), nn.Tanh(), nn.Linear(5, 3));
        theirs.load_state_dict(ours.state_dict());
        using var adamW = new DecoupledAdamW(ours.parameters(), learningRate: 0.01, weightDecay: 0.1);
        var reference = optim.AdamW(theirs.parameters(), lr: 0.01, weight_decay: 0.1);
        for (int step = 0; step < 20; step++)
        {
            var x = randn(8, 6);
            adamW.ZeroGrad();
            ours.forward(x).pow(2).mean().backward();
            adamW.Step();
            reference.zero_grad();
            theirs.forward(x).pow(2).mean().backward();
            reference.step();
        }
        foreach (var (a, b) in ours.parameters().Zip(theirs.parameters()))
            Assert.True(Difference.MaxAbs(a, b) < 1e-6, $"max |difference| {Difference.MaxAbs(a, b)}");
    }
}
