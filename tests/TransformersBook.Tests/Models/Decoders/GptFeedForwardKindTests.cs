using TransformersBook.Blocks;
using TransformersBook.Models;
using Xunit;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>A GPT with each feed-forward kind: the default is GPT-2's block unchanged, the others count as the formula says.</summary>
[Collection(ProcessState.Name)]
public class GptFeedForwardKindTests
{
    public GptFeedForwardKindTests() => TestSetup.Initialize();

    static GptConfig Config(FeedForwardKind kind, int width = 48) =>
        new(VocabularySize: 40, ContextLength: 16, Layers: 2, Heads: 4, Width: width, FeedForwardKind: kind);

    [Theory]
    [InlineData(FeedForwardKind.Relu, 48)]
    [InlineData(FeedForwardKind.Gelu, 48)]
    [InlineData(FeedForwardKind.SwiGlu, 48)]
    [InlineData(FeedForwardKind.GeGlu, 48)]
    [InlineData(FeedForwardKind.SwiGlu, 64)]
    [InlineData(FeedForwardKind.GeGlu, 100)]
    public void Counted_parameters_match_the_formula_for_every_kind(FeedForwardKind kind, int width)
    {
        var config = Config(kind, width);
        using var model = new Gpt(config);
        Assert.Equal(config.ParameterCount, model.parameters().Sum(p => p.numel()));
        long feedForward = model.Blocks[0].FeedForwardSublayer.parameters().Sum(p => p.numel());
        Assert.Equal(config.FeedForwardParameterCount, feedForward);
    }

    [Fact]
    public void The_default_is_gpt2s_gelu_block_with_its_old_count_and_parameter_names()
    {
        var config = new GptConfig(VocabularySize: 65, ContextLength: 32, Layers: 2, Heads: 2, Width: 32);
        Assert.Equal(FeedForwardKind.Gelu, config.FeedForwardKind);
        long d = 32;
        Assert.Equal(65 * d + 32 * d + 2 * (12 * d * d + 13 * d) + 2 * d, config.ParameterCount);
        using var block = new PreNormDecoderBlock(32, 2);
        Assert.Equal(FeedForwardKind.Gelu, block.FeedForward.Kind);
        Assert.Same(block.FeedForward.OutputProjection, block.FeedForwardOutputProjection);
        var names = block.named_parameters().Select(p => p.name).Where(n => n.StartsWith("feedForward.")).ToList();
        Assert.Equal(new[] { "feedForward.up.weight", "feedForward.up.bias", "feedForward.down.weight", "feedForward.down.bias" }, names);
    }

    [Theory]
    [InlineData(FeedForwardKind.SwiGlu)]
    [InlineData(FeedForwardKind.GeGlu)]
    public void A_gated_block_has_the_eight_thirds_hidden_width_and_scaled_output_init(FeedForwardKind kind)
    {
        manual_seed(21);
        var config = Config(kind, width: 96) with { Layers = 8 };
        Assert.Equal(256, config.FeedForwardHidden);                 // 8 · 96 / 3
        using var model = new Gpt(config);
        var block = model.Blocks[0];
        var gated = Assert.IsType<GatedFeedForward>(block.FeedForwardSublayer);
        Assert.Equal(kind, gated.Kind);
        Assert.Equal(new long[] { 256, 96 }, gated.Gate.weight!.shape);
        // The block offers the gated sublayer through the same interface as a dense one.
        Assert.Same(gated, block.FeedForward);
        Assert.Equal(kind, block.FeedForward.Kind);
        // GPT-2 scales the residual projections to 0.02/√(2·layers) = 0.005; the gate keeps 0.02.
        double outputStd = block.FeedForwardOutputProjection.weight!.std().item<float>();
        double gateStd = gated.Gate.weight!.std().item<float>();
        Assert.InRange(outputStd, 0.0045, 0.0055);
        Assert.InRange(gateStd, 0.018, 0.022);
    }

    [Theory]
    [InlineData(FeedForwardKind.Relu)]
    [InlineData(FeedForwardKind.SwiGlu)]
    [InlineData(FeedForwardKind.GeGlu)]
    public void Every_kind_starts_at_the_uniform_loss_and_stays_causal(FeedForwardKind kind)
    {
        manual_seed(22);
        using var model = new Gpt(Config(kind));
        model.eval();
        using var x = randint(0, 40, new long[] { 4, 16 });
        using var y = randint(0, 40, new long[] { 4, 16 });
        using var loss = model.Loss(x, y);
        Assert.InRange(loss.item<float>(), Math.Log(40) - 0.1, Math.Log(40) + 0.1);
        using var changed = x.clone();
        changed[.., 8] = (changed[.., 8] + 1) % 40;
        using var a = model.forward(x);
        using var b = model.forward(changed);
        Assert.Equal(0f, (a[.., ..8] - b[.., ..8]).abs().max().item<float>());
    }
}
