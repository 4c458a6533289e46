using TorchSharp;
using TransformersBook.Blocks;
using TransformersBook.Models;
using Xunit;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>The block with switchable norm placement and skip connections, and the deep-stack model built from it.</summary>
// Seeded tests share torch's global generator: run them alone so the seed decides the weights.
[Collection(ProcessState.Name)]
public class ConfigurableDecoderBlockTests
{
    public ConfigurableDecoderBlockTests() => TestSetup.Initialize();

    static void ZeroSublayerOutputs(ConfigurableDecoderBlock block)
    {
        using var noGrad = no_grad();
        foreach (var projection in new[] { block.Attention.OutputProjection, block.FeedForward.OutputProjection })
        {
            projection.weight!.zero_();
            projection.bias!.zero_();
        }
    }

    [Fact]
    public void Pre_norm_with_residuals_equals_the_PreNormDecoderBlock_with_the_same_weights()
    {
        manual_seed(11);
        using var reference = new PreNormDecoderBlock(width: 32, heads: 4);
        using var block = new ConfigurableDecoderBlock(width: 32, heads: 4, NormPlacement.PreNorm);
        block.load_state_dict(reference.state_dict());
        using var x = randn(2, 7, 32);
        using var expected = reference.forward(x);
        using var actual = block.forward(x);
        Assert.True((expected - actual).abs().max().item<float>() < 1e-6f);
    }

    [Fact]
    public void Post_norm_output_rows_have_mean_zero_and_variance_one()
    {
        manual_seed(12);
        using var block = new ConfigurableDecoderBlock(width: 32, heads: 4, NormPlacement.PostNorm);
        using var x = randn(2, 7, 32) * 5 + 3;
        using var y = block.forward(x);
        // The last LayerNorm has γ = 1, β = 0 at initialisation, so every output row is standardised.
        Assert.True(y.mean(new long[] { -1 }).abs().max().item<float>() < 1e-5f);
        Assert.True((y.var(-1, unbiased: false) - 1).abs().max().item<float>() < 1e-3f);
        // The pre-norm block does not normalise its output.
        using var pre = new ConfigurableDecoderBlock(width: 32, heads: 4, NormPlacement.PreNorm);
        using var z = pre.forward(x);
        Assert.True(z.mean(new long[] { -1 }).abs().max().item<float>() > 1f);
    }

    [Theory]
    [InlineData(NormPlacement.PreNorm)]
    [InlineData(NormPlacement.PostNorm)]
    public void Turning_residuals_off_removes_the_skip_path(NormPlacement placement)
    {
        manual_seed(13);
        using var with = new ConfigurableDecoderBlock(width: 16, heads: 2, placement, residual: true);
        using var without = new ConfigurableDecoderBlock(width: 16, heads: 2, placement, residual: false);
        ZeroSublayerOutputs(with);
        ZeroSublayerOutputs(without);
        using var x = randn(3, 5, 16);
        // Sublayers that output 0: with the skip the input survives (as itself, or standardised after post-norm),
        // without it nothing does.
        using var kept = with.forward(x);
        using var expected = placement == NormPlacement.PreNorm ? x.alias() : nn.functional.layer_norm(x, new long[] { 16 });
        Assert.True((kept - expected).abs().max().item<float>() < 1e-5f);
        using var dropped = without.forward(x);
        Assert.Equal(0f, dropped.abs().max().item<float>());
    }

    [Theory]
    [InlineData(NormPlacement.PreNorm, true)]
    [InlineData(NormPlacement.PostNorm, true)]
    [InlineData(NormPlacement.PreNorm, false)]
    public void The_deep_stack_starts_near_a_uniform_guess_and_reports_one_gradient_norm_per_block(NormPlacement placement, bool residual)
    {
        manual_seed(14);
        var config = new GptConfig(VocabularySize: 40, ContextLength: 16, Layers: 12, Heads: 2, Width: 16);
        using var model = new DeepStackLanguageModel(config, placement, residual);
        using var x = randint(0, 40, new long[] { 4, 16 });
        using var y = randint(0, 40, new long[] { 4, 16 });
        using var logits = model.forward(x);
        Assert.Equal(new long[] { 4, 16, 40 }, logits.shape);
        Assert.Equal(0.0, model.BlockGradientNorms().Sum());
        using var loss = nn.functional.cross_entropy(logits.view(-1, 40), y.view(-1));
        Assert.InRange(loss.item<float>(), Math.Log(40) - 0.15, Math.Log(40) + 0.15);
        loss.backward();
        var norms = model.BlockGradientNorms();
        Assert.Equal(12, norms.Length);
        Assert.All(norms, n => Assert.True(n > 0 && double.IsFinite(n)));
    }

    [Fact]
    public void The_deep_stack_with_a_pre_norm_residual_stack_learns_a_batch()
    {
        manual_seed(15);
        var config = new GptConfig(VocabularySize: 20, ContextLength: 8, Layers: 12, Heads: 2, Width: 16);
        using var model = new DeepStackLanguageModel(config, NormPlacement.PreNorm);
        using var x = randint(0, 20, new long[] { 4, 8 });
        using var y = randint(0, 20, new long[] { 4, 8 });
        var optimizer = optim.AdamW(model.parameters(), lr: 3e-3);
        float first = float.NaN, last = float.NaN;
        for (int step = 0; step < 60; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(model.forward(x).view(-1, 20), y.view(-1));
            loss.backward();
            optimizer.step();
            last = loss.item<float>();
            if (step == 0) first = last;
        }
        Assert.True(last < first - 1.0f, $"loss {first} → {last}");
    }
}
