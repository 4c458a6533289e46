using TransformersBook.Inference;
using TransformersBook.Models;
using Xunit;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>The acceptance rule and residual distribution of speculative sampling, on hand-made p and q.</summary>
[Collection(ProcessState.Name)]
public class SpeculativeSamplingTests
{
    public SpeculativeSamplingTests() => TestSetup.Initialize();

    [Fact]
    public void Residual_is_the_normalised_positive_part_of_p_minus_q()
    {
        var p = tensor(new[] { 0.5f, 0.3f, 0.2f });
        var q = tensor(new[] { 0.2f, 0.6f, 0.2f });
        // max(0, p − q) = (0.3, 0, 0): all the residual mass on token 0.
        Assert.Equal(new[] { 1f, 0f, 0f }, SpeculativeSampling.Residual(p, q).data<float>().ToArray());
        var p2 = tensor(new[] { 0.4f, 0.4f, 0.2f });
        var q2 = tensor(new[] { 0.1f, 0.3f, 0.6f });
        // (0.3, 0.1, 0) / 0.4
        var r = SpeculativeSampling.Residual(p2, q2).data<float>().ToArray();
        Assert.Equal(0.75, r[0], 5);
        Assert.Equal(0.25, r[1], 5);
        Assert.Equal(0.0, r[2], 5);
        // p = q: no residual mass, the distribution is p itself.
        Assert.Equal(p.data<float>().ToArray(), SpeculativeSampling.Residual(p, p).data<float>().ToArray());
    }

    [Fact]
    public void One_verified_token_has_the_target_distribution_and_the_acceptance_rate_is_the_overlap()
    {
        // k = 1 over 3 tokens, 200,000 rows at once: x ~ q, then accept or correct.
        const int rows = 200_000;
        var p = tensor(new[] { 0.4f, 0.4f, 0.2f });
        var q = tensor(new[] { 0.1f, 0.3f, 0.6f });
        var g = new Generator(11);
        var draft = multinomial(q.expand(rows, 3), 1, generator: g);
        var targetProbabilities = stack(new[] { p, p }).unsqueeze(0).expand(rows, 2, 3);
        var (accepted, next) = SpeculativeSampling.Verify(targetProbabilities, q.view(1, 1, 3).expand(rows, 1, 3), draft, g);
        var first = where(accepted > 0, draft.squeeze(1), next);
        var frequencies = first.bincount(null, 3).to(ScalarType.Float64) / rows;
        var f = frequencies.data<double>().ToArray();
        // Standard error of each frequency ≤ √(0.25/200000) ≈ 0.0011; allow 5 of them.
        Assert.Equal(0.4, f[0], 0.0056);
        Assert.Equal(0.4, f[1], 0.0056);
        Assert.Equal(0.2, f[2], 0.0056);
        // P(accept) = Σ min(p, q) = 0.1 + 0.3 + 0.2 = 0.6.
        Assert.Equal(0.6, accepted.to(ScalarType.Float64).mean().item<double>(), 0.0056);
    }

    [Fact]
    public void Accepted_count_stops_at_the_first_rejection_and_the_bonus_comes_from_the_last_target_row()
    {
        // Two draft tokens that the target always accepts (q ≤ p on them): both kept, the bonus from p₃ = one-hot on 2.
        var p = tensor(new[] { 1f, 0f, 0f, 0f, 1f, 0f, 0f, 0f, 1f }).view(1, 3, 3);
        var q = tensor(new[] { 0.5f, 0.5f, 0f, 0.5f, 0.5f, 0f }).view(1, 2, 3);
        var (accepted, next) = SpeculativeSampling.Verify(p, q, tensor(new long[] { 0, 1 }).view(1, 2), new Generator(1));
        Assert.Equal(2L, accepted.item<long>());
        Assert.Equal(2L, next.item<long>());
        // A first draft token the target never produces (p = 0): rejected, and the correction comes from the residual (token 0).
        var (rejected, corrected) = SpeculativeSampling.Verify(p, q, tensor(new long[] { 1, 1 }).view(1, 2), new Generator(1));
        Assert.Equal(0L, rejected.item<long>());
        Assert.Equal(0L, corrected.item<long>());
    }

    [Fact]
    public void With_the_target_as_its_own_draft_every_proposal_is_accepted()
    {
        manual_seed(3);
        var model = new Gpt(new GptConfig(17, 32, 1, 2, 16));
        model.eval();
        var result = new SpeculativeDecoder(model, model, draftLength: 3).Generate(new long[] { 1, 2, 3 }, 16, new Generator(2));
        Assert.Equal(19, result.Tokens.Length);
        Assert.Equal(1.0, result.AcceptanceRate, 6);
        Assert.Equal(4.0, result.TokensPerTargetPass, 6);
    }
}
