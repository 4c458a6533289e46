using TorchSharp;
using TransformersBook.Training;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>The token log-probability against a hand-computed value and TorchSharp's cross_entropy.</summary>
[Collection(ProcessState.Name)]
public class LossesTests
{
    public LossesTests() => TestSetup.Initialize();

    [Fact]
    public void Token_log_probability_by_hand()
    {
        using var scope = NewDisposeScope();
        // Logits (0, ln 3): p = (1/4, 3/4), so the log-probabilities of tokens 0 and 1 are ln 1/4 and ln 3/4.
        var logits = tensor(new float[] { 0f, (float)Math.Log(3), 0f, (float)Math.Log(3) }).reshape(1, 2, 2);
        var logp = Losses.TokenLogProbability(logits, tensor(new long[] { 0, 1 }).reshape(1, 2));
        Assert.Equal(new long[] { 1, 2 }, logp.shape);
        Assert.Equal(Math.Log(0.25), logp[0, 0].item<float>(), 5);
        Assert.Equal(Math.Log(0.75), logp[0, 1].item<float>(), 5);
    }

    [Fact]
    public void Negated_mean_equals_torch_cross_entropy_and_gradients_flow()
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        var logits = (randn(3, 5, 13) * 2).requires_grad_();
        var tokens = randint(0, 13, new long[] { 3, 5 });
        var mine = -Losses.TokenLogProbability(logits, tokens).mean();
        var reference = nn.functional.cross_entropy(logits.reshape(-1, 13), tokens.reshape(-1));
        Assert.Equal(reference.item<float>(), mine.item<float>(), 5);
        mine.backward();
        Assert.NotNull(logits.grad);
        Assert.True(logits.grad!.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void Mismatched_shapes_fail_with_an_error()
    {
        using var scope = NewDisposeScope();
        Assert.ThrowsAny<Exception>(() => Losses.TokenLogProbability(randn(2, 4, 5), zeros(new long[] { 3, 4 }, dtype: int64)));
    }
}
