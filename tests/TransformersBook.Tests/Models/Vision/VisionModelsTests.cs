using TorchSharp;
using TransformersBook.Checks;
using TransformersBook.Interpretability;
using TransformersBook.Models;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>The vision chapter's two classifiers: ViT with its attention weights, and the small CNN baseline.</summary>
[Collection(ProcessState.Name)]
public class VisionModelsTests
{
    public VisionModelsTests() => TestSetup.Initialize();

    static VisionTransformerConfig Config(int patch = 7) => new(ImageSize: 28, PatchSize: patch, Channels: 1, Layers: 2, Heads: 4, Width: 32, FeedForwardWidth: 64);

    [Fact]
    public void ViT_classifier_is_the_encoders_CLS_vector_through_a_linear_head()
    {
        using var scope = NewDisposeScope();
        manual_seed(71);
        using var model = new VisionTransformerClassifier(Config(), classes: 10);
        model.eval();
        var images = rand(3, 1, 28, 28);
        var logits = model.forward(images);
        Assert.Equal(new long[] { 3, 10 }, logits.shape);
        var head = model.named_children().Single(c => c.name == "head").module as TorchSharp.Modules.Linear;
        Assert.NotNull(head);
        Assert.True(Difference.MaxAbs(logits, head!.forward(model.Encoder.Encode(images).select(1, 0))) < 1e-5f);
        Assert.Throws<ArgumentOutOfRangeException>(() => new VisionTransformerClassifier(Config(), classes: 1));
    }

    [Fact]
    public void Attention_weights_come_one_per_layer_over_CLS_and_the_patches_and_roll_out()
    {
        using var scope = NewDisposeScope();
        manual_seed(72);
        using var encoder = new VisionTransformerEncoder(Config(patch: 7));
        encoder.eval();
        var images = rand(2, 1, 28, 28);
        var weights = encoder.AttentionWeights(images);
        Assert.Equal(2, weights.Count);
        foreach (var w in weights)
        {
            Assert.Equal(new long[] { 2, 4, 17, 17 }, w.shape);
            Assert.True((w.sum(-1) - 1).abs().max().item<float>() < 1e-5f);
        }
        var rollout = AttentionRollout.Compute(weights);
        Assert.Equal(new long[] { 2, 17, 17 }, rollout.shape);
        Assert.True((rollout.sum(-1) - 1).abs().max().item<float>() < 1e-5f);
    }

    [Fact]
    public void CNN_gives_one_logit_per_class_and_pools_over_positions()
    {
        using var scope = NewDisposeScope();
        manual_seed(73);
        using var cnn = new ImageCnnClassifier(1, new[] { 8, 16, 16 }, classes: 10);
        cnn.eval();
        Assert.Equal(new long[] { 4, 10 }, cnn.forward(rand(4, 1, 28, 28)).shape);
        // Parameters: three 3 × 3 convolutions with biases, three BatchNorms (weight and bias), and the head.
        long expected = (1 * 9 * 8 + 8) + (8 * 9 * 16 + 16) + (16 * 9 * 16 + 16) + 2 * (8 + 16 + 16) + (16 * 10 + 10);
        Assert.Equal(expected, cnn.parameters().Sum(p => p.numel()));
        Assert.Throws<ArgumentException>(() => new ImageCnnClassifier(1, Array.Empty<int>(), 10));
    }

    [Fact]
    public void CNN_learns_to_tell_a_bright_left_half_from_a_bright_right_half()
    {
        using var scope = NewDisposeScope();
        manual_seed(74);
        using var cnn = new ImageCnnClassifier(1, new[] { 8, 8 }, classes: 2, dropout: 0);
        var left = zeros(16, 1, 12, 12);
        left.narrow(3, 0, 6).fill_(1);
        var images = cat(new[] { left, left.flip(3) }, 0) + 0.1 * randn(32, 1, 12, 12);
        var labels = cat(new[] { zeros(16, dtype: ScalarType.Int64), ones(16, dtype: ScalarType.Int64) }, 0);
        using var optimizer = optim.Adam(cnn.parameters(), lr: 0.01);
        for (int step = 0; step < 60; step++)
        {
            using var stepScope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(cnn.forward(images), labels);
            loss.backward();
            optimizer.step();
        }
        cnn.eval();
        Assert.Equal(1.0, cnn.forward(images).argmax(-1).eq(labels).to_type(ScalarType.Float32).mean().item<float>());
    }
}
