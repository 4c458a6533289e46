using TransformersBook.Alignment;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>DPO and Bradley–Terry losses against hand-computed values.</summary>
[Collection(ProcessState.Name)]
public class DpoLossTests
{
    public DpoLossTests() => TestSetup.Initialize();

    [Fact]
    public void It_is_ln_2_when_the_policy_is_the_reference()
    {
        using var scope = NewDisposeScope();
        manual_seed(71);
        var chosen = randn(6) * 5;
        var rejected = randn(6) * 5;
        foreach (double beta in new[] { 0.1, 1.0, 10.0 })
            Assert.Equal(Math.Log(2), DpoLoss.Loss(chosen, rejected, chosen.clone(), rejected.clone(), beta).item<float>(), 6);
    }

    [Fact]
    public void One_pair_by_hand()
    {
        using var scope = NewDisposeScope();
        // β = 0.5: implicit rewards 0.5·(−1 − (−2)) = 0.5 and 0.5·(−3 − (−2)) = −0.5, margin 1, loss ln(1 + e^{−1}).
        var loss = DpoLoss.Loss(tensor(new[] { -1f }), tensor(new[] { -3f }), tensor(new[] { -2f }), tensor(new[] { -2f }), 0.5);
        Assert.Equal(Math.Log(1 + Math.Exp(-1)), loss.item<float>(), 6);
        Assert.Equal(0.5f, DpoLoss.ImplicitRewards(tensor(new[] { -1f }), tensor(new[] { -2f }), 0.5).item<float>(), 6);
        Assert.Throws<ArgumentOutOfRangeException>(() => DpoLoss.ImplicitRewards(tensor(new[] { -1f }), tensor(new[] { -2f }), 0));
    }

    [Fact]
    public void No_gradient_reaches_the_reference()
    {
        using var scope = NewDisposeScope();
        var policy = tensor(new[] { -1f, -2f }).requires_grad_();
        var reference = tensor(new[] { -1.5f, -1.5f }).requires_grad_();
        DpoLoss.Loss(policy.narrow(0, 0, 1), policy.narrow(0, 1, 1), reference.narrow(0, 0, 1), reference.narrow(0, 1, 1), 1.0).backward();
        Assert.NotNull(policy.grad);
        Assert.True(reference.grad is null || reference.grad.abs().max().item<float>() == 0);
    }

    [Fact]
    public void Bradley_Terry_loss_and_probability_by_hand()
    {
        using var scope = NewDisposeScope();
        // Margins 2 and −1: mean of ln(1 + e^{−2}) and ln(1 + e^{1}).
        var loss = BradleyTerry.Loss(tensor(new[] { 3f, 0f }), tensor(new[] { 1f, 1f }));
        Assert.Equal((Math.Log(1 + Math.Exp(-2)) + Math.Log(1 + Math.Exp(1))) / 2, loss.item<float>(), 6);
        Assert.Equal(1 / (1 + Math.Exp(-1.0)), BradleyTerry.PreferenceProbability(2, 1), 12);
        Assert.Equal(0.5, BradleyTerry.PreferenceProbability(4, 4, 10), 12);
        Assert.Equal(1 / (1 + Math.Exp(-6.0)), BradleyTerry.PreferenceProbability(2, 1, 6), 12);
    }

    [Fact]
    public void Sequence_log_probability_sums_the_masked_tokens()
    {
        using var scope = NewDisposeScope();
        manual_seed(72);
        var logits = randn(2, 4, 5);
        var tokens = tensor(new long[] { 0, 1, 2, 3, 4, 4, 4, 4 }).reshape(2, 4);
        var mask = tensor(new float[] { 0, 1, 1, 1, 0, 0, 1, 1 }).reshape(2, 4);
        var logp = logits.log_softmax(-1);
        double first = logp[0, 1, 1].item<float>() + logp[0, 2, 2].item<float>() + logp[0, 3, 3].item<float>();
        double second = logp[1, 2, 4].item<float>() + logp[1, 3, 4].item<float>();
        var sums = SequenceLogProbability.Sum(logits, tokens, mask);
        Assert.Equal(first, sums[0].item<float>(), 5);
        Assert.Equal(second, sums[1].item<float>(), 5);
    }
}
