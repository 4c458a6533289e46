using TorchSharp;
using TransformersBook.Attention;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>The stable masked softmax: equal to TorchSharp's softmax, no overflow, zero rows where all is masked.</summary>
[Collection(ProcessState.Name)]
public class MaskedSoftmaxTests
{
    public MaskedSoftmaxTests() => TestSetup.Initialize();

    [Fact]
    public void Without_a_mask_it_equals_torch_softmax()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        var scores = randn(3, 4, 5) * 3;
        var expected = nn.functional.softmax(scores, -1);
        Assert.True((MaskedSoftmax.Softmax(scores) - expected).abs().max().item<float>() < 1e-6f);
    }

    [Fact]
    public void Large_scores_do_not_overflow()
    {
        using var scope = NewDisposeScope();
        // exp(1000) is infinite in float32; subtracting the row maximum makes these exp(0), exp(−1), exp(−2).
        var scores = tensor(new float[] { 1000f, 999f, 998f });
        var weights = MaskedSoftmax.Softmax(scores);
        var e = new[] { 1.0, Math.Exp(-1), Math.Exp(-2) };
        var sum = e.Sum();
        for (int i = 0; i < 3; i++) Assert.Equal(e[i] / sum, weights[i].item<float>(), 6);
    }

    [Fact]
    public void Masked_entries_get_zero_and_the_rest_renormalise()
    {
        using var scope = NewDisposeScope();
        var scores = tensor(new float[] { 1f, 2f, 3f, 4f }).reshape(1, 4);
        var keep = tensor(new[] { true, false, true, false }).reshape(1, 4);
        var weights = MaskedSoftmax.Softmax(scores, keep);
        double a = Math.Exp(1), c = Math.Exp(3);
        Assert.Equal(a / (a + c), weights[0, 0].item<float>(), 6);
        Assert.Equal(0f, weights[0, 1].item<float>());
        Assert.Equal(c / (a + c), weights[0, 2].item<float>(), 6);
        Assert.Equal(0f, weights[0, 3].item<float>());
    }

    [Fact]
    public void A_fully_masked_row_gives_zeros_not_NaN()
    {
        using var scope = NewDisposeScope();
        var scores = randn(2, 3);
        var keep = tensor(new[] { true, true, false, false, false, false }).reshape(2, 3);
        var weights = MaskedSoftmax.Softmax(scores, keep);
        Assert.False(weights.isnan().any().item<bool>());
        Assert.Equal(0f, weights[1].abs().sum().item<float>());
        Assert.Equal(1f, weights[0].sum().item<float>(), 6);
        // The same through −∞ scores alone, the additive form of a mask.
        var allMinusInfinity = full(1, 3, double.NegativeInfinity);
        Assert.Equal(0f, MaskedSoftmax.Softmax(allMinusInfinity).abs().sum().item<float>());
        // And torch's own softmax would give NaN there, which is why this exists.
        Assert.True(nn.functional.softmax(allMinusInfinity, -1).isnan().all().item<bool>());
    }

    [Fact]
    public void Gradients_flow_and_are_finite_through_fully_masked_rows()
    {
        using var scope = NewDisposeScope();
        var scores = randn(2, 3).requires_grad_();
        var keep = tensor(new[] { true, false, true, false, false, false }).reshape(2, 3);
        (MaskedSoftmax.Softmax(scores, keep) * randn(2, 3)).sum().backward();
        Assert.True(scores.grad!.isfinite().all().item<bool>());
        Assert.Equal(0f, scores.grad![1].abs().sum().item<float>());
    }

    [Fact]
    public void A_mask_that_is_not_boolean_is_refused()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => MaskedSoftmax.Softmax(randn(2, 3), ones(2, 3)));
    }
}
