using TransformersBook.Alignment;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>GAE on a hand-worked 3-step episode, the clipped surrogate's gradient, and the KL estimators' expectations.</summary>
[Collection(ProcessState.Name)]
public class PpoPiecesTests
{
    public PpoPiecesTests() => TestSetup.Initialize();

    [Fact]
    public void Gae_on_a_hand_worked_three_step_episode()
    {
        // r = (0, 0, 1), V = (0.5, 0.6, 0.7), γ = 0.9, λ = 0.8, γλ = 0.72:
        // δ2 = 1 − 0.7 = 0.3;                   Â2 = 0.3
        // δ1 = 0.9·0.7 − 0.6 = 0.03;            Â1 = 0.03 + 0.72·0.3 = 0.246
        // δ0 = 0.9·0.6 − 0.5 = 0.04;            Â0 = 0.04 + 0.72·0.246 = 0.21712
        var (advantages, returns) = GeneralizedAdvantageEstimation.ComputeEpisode(new[] { 0.0, 0.0, 1.0 }, new[] { 0.5, 0.6, 0.7 }, 0.9, 0.8);
        Assert.Equal(new[] { 0.21712, 0.246, 0.3 }, advantages.Select(a => Math.Round(a, 10)));
        Assert.Equal(new[] { 0.71712, 0.846, 1.0 }, returns.Select(r => Math.Round(r, 10)));
        // λ = 1: Â_t is the discounted return minus V(s_t): 0.81 − 0.5, 0.9 − 0.6, 1 − 0.7.
        var (monteCarlo, _) = GeneralizedAdvantageEstimation.ComputeEpisode(new[] { 0.0, 0.0, 1.0 }, new[] { 0.5, 0.6, 0.7 }, 0.9, 1.0);
        Assert.Equal(new[] { 0.31, 0.3, 0.3 }, monteCarlo.Select(a => Math.Round(a, 10)));
    }

    [Fact]
    public void Gae_on_tensors_equals_the_scalar_version()
    {
        using var scope = NewDisposeScope();
        manual_seed(73);
        var rewards = randn(3, 5, dtype: ScalarType.Float64);
        var values = randn(3, 5, dtype: ScalarType.Float64);
        var (advantages, returns) = GeneralizedAdvantageEstimation.Compute(rewards, values, 0.95, 0.9);
        for (int b = 0; b < 3; b++)
        {
            var (a, r) = GeneralizedAdvantageEstimation.ComputeEpisode(rewards[b].data<double>().ToArray(), values[b].data<double>().ToArray(), 0.95, 0.9);
            for (int t = 0; t < 5; t++)
            {
                Assert.Equal(a[t], advantages[b, t].item<double>(), 10);
                Assert.Equal(r[t], returns[b, t].item<double>(), 10);
            }
        }
    }

    [Fact]
    public void The_clipped_surrogate_has_zero_gradient_outside_the_clip_range()
    {
        using var scope = NewDisposeScope();
        // Ratios 1.5, 0.5, 1.5, 0.5, 1.1 with advantages +1, −1, −1, +1, +1 and ε = 0.2.
        var old = zeros(5);
        var logp = tensor(new[] { (float)Math.Log(1.5), (float)Math.Log(0.5), (float)Math.Log(1.5), (float)Math.Log(0.5), (float)Math.Log(1.1) }).requires_grad_();
        var advantages = tensor(new[] { 1f, -1f, -1f, 1f, 1f });
        var loss = ClippedSurrogate.Loss(logp, old, advantages, 0.2);
        // Objective terms: min(1.5, 1.2) = 1.2; min(−0.5, −0.8) = −0.8; min(−1.5, −1.2) = −1.5; min(0.5, 0.8) = 0.5; 1.1.
        Assert.Equal(-(1.2 - 0.8 - 1.5 + 0.5 + 1.1) / 5, loss.item<float>(), 5);
        loss.backward();
        var grad = logp.grad!.data<float>().ToArray();
        Assert.Equal(0f, grad[0]);   // ρ > 1 + ε and Â > 0: clipped, no push further up
        Assert.Equal(0f, grad[1]);   // ρ < 1 − ε and Â < 0: clipped, no push further down
        // Where clipping would help the objective the unclipped term is kept: d(−ρÂ/5)/d log ρ = −ρÂ/5.
        Assert.Equal(1.5 / 5, grad[2], 5);
        Assert.Equal(-0.5 / 5, grad[3], 5);
        Assert.Equal(-1.1 / 5, grad[4], 5);
        Assert.Equal(0.8, ClippedSurrogate.ClippedFraction(logp.detach(), old, 0.2), 5);
    }

    [Fact]
    public void K1_and_k3_average_to_the_exact_kl_and_k3_is_never_negative()
    {
        using var scope = NewDisposeScope();
        manual_seed(74);
        var policyLogits = randn(4, 7, dtype: ScalarType.Float64) * 2;
        var referenceLogits = randn(4, 7, dtype: ScalarType.Float64) * 2;
        var logP = policyLogits.log_softmax(-1);
        var logQ = referenceLogits.log_softmax(-1);
        var exact = KlEstimators.Exact(policyLogits, referenceLogits);
        var theirs = nn.functional.kl_div(logQ, logP, reduction: nn.Reduction.None, log_target: true).sum(dim: -1);
        Assert.True(Checks.Difference.MaxAbs(exact, theirs) < 1e-10);
        // Expectations under π, taken exactly by weighting every token with its probability.
        var p = logP.exp();
        Assert.True(Checks.Difference.MaxAbs((p * KlEstimators.K1(logP, logQ)).sum(dim: -1), exact) < 1e-10);
        Assert.True(Checks.Difference.MaxAbs((p * KlEstimators.K3(logP, logQ)).sum(dim: -1), exact) < 1e-10);
        Assert.True(KlEstimators.K3(logP, logQ).min().item<double>() >= 0);
    }
}
