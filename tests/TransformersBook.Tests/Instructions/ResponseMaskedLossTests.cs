using TorchSharp;
using TransformersBook.Instructions;
using Xunit;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>The response-masked loss against a hand computation, cross-entropy with ignore_index, and its indifference to prompt targets.</summary>
[Collection(ProcessState.Name)]
public class ResponseMaskedLossTests
{
    public ResponseMaskedLossTests() => TestSetup.Initialize();

    [Fact]
    public void It_is_the_mean_negative_log_likelihood_over_masked_positions()
    {
        // One sequence of three positions, vocabulary 2; the mask counts positions 0 and 2.
        using var logits = tensor(new float[] { 0, 0, 1, 0, 0, 2 }, new long[] { 1, 3, 2 });
        using var targets = tensor(new long[] { 1, 1, 1 }, new long[] { 1, 3 });
        using var mask = tensor(new float[] { 1, 0, 1 }, new long[] { 1, 3 });
        double first = Math.Log(2);                       // uniform over two tokens
        double third = -(2 - Math.Log(1 + Math.Exp(2)));  // −log softmax(0, 2)[1]
        double expected = (first + third) / 2;
        Assert.Equal(expected, ResponseMaskedLoss.Compute(logits, targets, mask).item<float>(), 6);
    }

    [Fact]
    public void It_equals_cross_entropy_with_ignored_prompt_targets()
    {
        manual_seed(3);
        var template = new ChatTemplate("abcdefgh ".ToCharArray());
        var batch = InstructionBatch.Collate(new[] { template.Example("abc", "de"), template.Example("a bcd efg", "hh a") }, responseOnly: true);
        using var logits = randn(2, batch.Input.shape[1], template.VocabularySize);
        var expected = nn.functional.cross_entropy(logits.reshape(-1, template.VocabularySize), batch.IgnoreIndexTargets().reshape(-1), ignore_index: -100);
        Assert.Equal(expected.item<float>(), ResponseMaskedLoss.Compute(logits, batch).item<float>(), 5);
        // 3 response tokens in the first example, 5 in the second: the mask counts exactly 8 positions.
        Assert.Equal(8f, batch.LossMask.sum().item<float>());
    }

    [Fact]
    public void Prompt_targets_change_nothing_and_get_no_gradient()
    {
        manual_seed(4);
        var template = new ChatTemplate("abcdefgh ".ToCharArray());
        var batch = InstructionBatch.Collate(new[] { template.Example("abcabc", "de"), template.Example("gg", "fed") }, responseOnly: true);
        var logits = randn(2, batch.Input.shape[1], template.VocabularySize).requires_grad_();
        var loss = ResponseMaskedLoss.Compute(logits, batch);
        var scrambled = batch.Target.where(batch.LossMask.eq(1), randint_like(batch.Target, 0, template.VocabularySize));
        Assert.Equal(loss.item<float>(), ResponseMaskedLoss.Compute(logits, scrambled, batch.LossMask).item<float>());
        loss.backward();
        var promptGradient = (logits.grad!.abs().sum(dim: -1) * (1 - batch.LossMask)).sum().item<float>();
        Assert.Equal(0f, promptGradient);
    }

    [Fact]
    public void All_token_batches_count_every_real_position_and_no_padding()
    {
        var template = new ChatTemplate("ab".ToCharArray());
        var batch = InstructionBatch.Collate(new[] { template.Example("a", "b"), template.Example("abab", "ba") }, responseOnly: false);
        // Lengths 5 and 9 tokens: 4 and 8 predictions, padded to 8.
        Assert.Equal(new long[] { 2, 8 }, batch.Input.shape);
        Assert.Equal(new float[] { 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1 }, batch.LossMask.data<float>().ToArray());
    }
}
