using TransformersBook.Models;
using Xunit;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>EncoderOnlyConfig.Causal: the same stack with GPT's mask, and nothing else changed.</summary>
[Collection(ProcessState.Name)]
public class CausalEncoderOnlyTests
{
    public CausalEncoderOnlyTests() => TestSetup.Initialize();

    static EncoderOnlyConfig Config(bool causal, long? padding = null) =>
        new(VocabularySize: 30, ContextLength: 8, Layers: 2, Heads: 2, Width: 16, FeedForwardWidth: 32, PreNorm: true, PaddingId: padding, Causal: causal);

    [Fact]
    public void Causal_outputs_do_not_depend_on_later_tokens()
    {
        manual_seed(3);
        using var model = new EncoderOnly(Config(causal: true));
        var first = tensor(new long[] { 5, 6, 7, 8, 9, 10 }).reshape(1, 6);
        var second = tensor(new long[] { 5, 6, 7, 20, 21, 22 }).reshape(1, 6);
        var a = model.Encode(first);
        var b = model.Encode(second);
        // The first three positions see only tokens 5, 6, 7 in both sequences; position 3 sees a changed token.
        Assert.True((a[.., ..3] - b[.., ..3]).abs().max().item<float>() < 1e-6f);
        Assert.True((a[.., 3] - b[.., 3]).abs().max().item<float>() > 1e-3f);
    }

    [Fact]
    public void Bidirectional_outputs_do_depend_on_later_tokens()
    {
        manual_seed(3);
        using var model = new EncoderOnly(Config(causal: false));
        var a = model.Encode(tensor(new long[] { 5, 6, 7, 8, 9, 10 }).reshape(1, 6));
        var b = model.Encode(tensor(new long[] { 5, 6, 7, 20, 21, 22 }).reshape(1, 6));
        Assert.True((a[.., 0] - b[.., 0]).abs().max().item<float>() > 1e-3f);
    }

    [Fact]
    public void Causal_flag_keeps_the_parameters_and_their_initial_values()
    {
        manual_seed(4);
        using var causal = new EncoderOnly(Config(causal: true));
        manual_seed(4);
        using var bidirectional = new EncoderOnly(Config(causal: false));
        var left = causal.parameters().ToArray();
        var right = bidirectional.parameters().ToArray();
        Assert.Equal(right.Length, left.Length);
        for (int i = 0; i < left.Length; i++) Assert.True(left[i].eq(right[i]).all().item<bool>(), $"parameter {i} differs");
        Assert.Equal(Config(true).ParameterCount, left.Sum(p => p.numel()));
    }

    [Fact]
    public void Causal_mask_combines_with_padding()
    {
        using var model = new EncoderOnly(Config(causal: true, padding: 0));
        var mask = model.AttentionMask(tensor(new long[] { 5, 6, 0, 5, 0, 0 }).reshape(2, 3))!;
        Assert.Equal(new long[] { 2, 1, 3, 3 }, mask.shape);
        // Sequence 0, query 2 (a padding query): keys 0 and 1 allowed, key 2 is padding.
        Assert.True(mask[0, 0, 2, 0].item<bool>() && mask[0, 0, 2, 1].item<bool>() && !mask[0, 0, 2, 2].item<bool>());
        // Query 0 never sees key 1 (later).
        Assert.False(mask[1, 0, 0, 1].item<bool>());
    }
}
