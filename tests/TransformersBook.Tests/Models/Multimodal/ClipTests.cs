using TorchSharp;
using TransformersBook.Data;
using TransformersBook.Models;
using TransformersBook.Training;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>The CLIP chapter's pieces: the rasteriser and captions, patchify, the contrastive loss, the dual encoder.</summary>
[Collection(ProcessState.Name)]
public class ClipTests
{
    public ClipTests() => TestSetup.Initialize();

    [Fact]
    public void Patchify_orders_patches_row_by_row_and_values_by_channel_row_column()
    {
        using var scope = NewDisposeScope();
        // One 2-channel 4 × 4 image holding 0 … 31; patches of 2 × 2.
        var image = arange(32, dtype: ScalarType.Float32).reshape(1, 2, 4, 4);
        var patches = VisionTransformerEncoder.Patchify(image, 2);
        Assert.Equal(new long[] { 1, 4, 8 }, patches.shape);
        // Patch 0 (top left): channel 0 rows 0–1 columns 0–1, then channel 1 the same.
        Assert.Equal(new float[] { 0, 1, 4, 5, 16, 17, 20, 21 }, patches[0, 0].data<float>().ToArray());
        // Patch 1 (top right), patch 2 (bottom left).
        Assert.Equal(new float[] { 2, 3, 6, 7, 18, 19, 22, 23 }, patches[0, 1].data<float>().ToArray());
        Assert.Equal(new float[] { 8, 9, 12, 13, 24, 25, 28, 29 }, patches[0, 2].data<float>().ToArray());
    }

    [Fact]
    public void Patchify_round_trips_and_matches_unfold()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        var images = rand(3, 3, 32, 32);
        var patches = VisionTransformerEncoder.Patchify(images, 8);
        Assert.Equal(new long[] { 3, 16, 192 }, patches.shape);
        Assert.Equal(0f, (VisionTransformerEncoder.Unpatchify(patches, 8, 3, 32, 32) - images).abs().max().item<float>());
        var unfolded = nn.functional.unfold(images, 8, stride: 8).transpose(1, 2);
        Assert.Equal(0f, (unfolded - patches).abs().max().item<float>());
    }

    [Fact]
    public void Rasteriser_draws_the_shape_in_its_colour_at_its_position()
    {
        var scene = new ShapeScene(Shape: 0, Colour: 0, Size: 1, Position: 0);   // large red circle on the left
        var pixels = ShapeImages.Render(scene, new Random(1), jitter: 0, noise: 0);
        const int n = ShapeImages.ImageSize;
        float At(int c, int y, int x) => pixels[(c * n + y) * n + x];
        // The centre (9, 16) is red, the far right is background, and a point 7.8 px away diagonally is outside the circle.
        Assert.Equal(0.9f, At(0, 16, 9));
        Assert.Equal(0.1f, At(1, 16, 9));
        Assert.Equal(ShapeImages.Background, At(0, 16, 28));
        Assert.Equal(ShapeImages.Background, At(0, 10, 3));
        // The circle of radius 7 covers about π·49 ≈ 154 pixels.
        int red = Enumerable.Range(0, n * n).Count(i => pixels[i] > 0.5f);
        Assert.InRange(red, 140, 165);
    }

    [Fact]
    public void Shapes_differ_and_rendering_is_deterministic()
    {
        var a = ShapeImages.Render(new ShapeScene(2, 2, 1, 2), new Random(7));
        var b = ShapeImages.Render(new ShapeScene(2, 2, 1, 2), new Random(7));
        Assert.Equal(a, b);
        int Count(int shape) => ShapeImages.Render(new ShapeScene(shape, 1, 1, 1), new Random(0), 0, 0).Count(v => v > 0.5f);
        var areas = Enumerable.Range(0, 4).Select(Count).ToArray();
        Assert.Equal(4, areas.Distinct().Count());
        Assert.True(ShapeImages.Inside(2, 16, 15.5, 16, 16, 7));      // triangle: apex up, wide at the bottom
        Assert.False(ShapeImages.Inside(2, 10, 10, 16, 16, 7));
        Assert.True(ShapeImages.Inside(2, 10, 22.5, 16, 16, 7));
    }

    [Fact]
    public void Captions_follow_the_template_and_encode_to_fixed_length()
    {
        var scene = new ShapeScene(2, 2, 0, 3);
        Assert.Equal("a photo of a small blue triangle at the bottom", scene.Caption);
        Assert.Equal("a photo of a blue shape", ShapeImages.Caption(scene, false, true, false, false));
        var ids = ShapeImages.Encode(scene.Caption);
        Assert.Equal(ShapeImages.ContextLength, ids.Length);
        Assert.Equal(ShapeImages.ClassId, ids[0]);
        Assert.Equal(scene.Caption, ShapeImages.Decode(ids));
        Assert.Equal(scene, ShapeImages.SceneAt(scene.Index));
        Assert.Equal(128, ShapeImages.AllScenes().Select(s => s.Caption).Distinct().Count());
    }

    [Fact]
    public void Contrastive_loss_matches_a_hand_computed_value_and_is_symmetric()
    {
        using var scope = NewDisposeScope();
        // L = [[2, 0], [1, 1]]: rows −ln(e²/(e²+1)) and ln 2; columns [2, 1] and [0, 1] both ln(1 + e⁻¹).
        var logits = tensor(new float[] { 2, 0, 1, 1 }, new long[] { 2, 2 });
        double rows = (Math.Log(1 + Math.Exp(-2)) + Math.Log(2)) / 2;
        double columns = Math.Log(1 + Math.Exp(-1));   // both columns: [2, 1] → 0 and [0, 1] → 1
        double expected = (rows + columns) / 2;
        Assert.Equal(expected, ContrastiveLoss.Symmetric(logits).item<float>(), 5);
        Assert.Equal(expected, ContrastiveLoss.Symmetric(logits.t()).item<float>(), 5);
        // Equal logits everywhere: ln B.
        Assert.Equal(Math.Log(5), ContrastiveLoss.Symmetric(zeros(5, 5)).item<float>(), 5);
    }

    [Fact]
    public void Dual_encoder_gives_unit_embeddings_and_a_B_by_B_logit_matrix()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var model = Tiny();
        var scenes = ShapeImages.AllScenes().Take(6).ToList();
        var images = ShapeImages.Images(scenes, new Random(0));
        var tokens = ShapeImages.Tokens(scenes.Select(s => s.Caption));
        var logits = model.forward(images, tokens);
        Assert.Equal(new long[] { 6, 6 }, logits.shape);
        var norms = model.EmbedImages(images).norm(1);
        Assert.True((norms - 1).abs().max().item<float>() < 1e-5f);
        Assert.Equal(0.07, model.Temperature, 4);
        Assert.Equal(new long[] { 6, 16 }, model.EmbedTexts(tokens).shape);
    }

    [Fact]
    public void Dual_encoder_overfits_eight_pairs()
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        var model = Tiny();
        // Eight scenes with different shapes and colours: after training, each image's best caption is its own.
        var scenes = Enumerable.Range(0, 8).Select(i => new ShapeScene(i % 4, (i / 4 + i) % 4, i % 2, i % 4)).ToList();
        var images = ShapeImages.Images(scenes, new Random(0));
        var tokens = ShapeImages.Tokens(scenes.Select(s => s.Caption));
        var optimizer = optim.AdamW(model.parameters(), lr: 3e-3);
        double first = 0, last = 0;
        for (int step = 0; step < 150; step++)
        {
            using var stepScope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = model.Loss(images, tokens);
            if (step == 0) first = loss.item<float>();
            last = loss.item<float>();
            loss.backward();
            optimizer.step();
        }
        Assert.InRange(first, Math.Log(8) - 0.7, Math.Log(8) + 0.7);
        Assert.True(last < 0.1, $"loss {last} after 150 steps");
        using var noGrad = no_grad();
        var predicted = model.forward(images, tokens).argmax(1).data<long>().ToArray();
        Assert.Equal(Enumerable.Range(0, 8).Select(i => (long)i).ToArray(), predicted);
    }

    [Fact]
    public void Text_encoder_ignores_padding()
    {
        using var scope = NewDisposeScope();
        manual_seed(9);
        var encoder = new TextEncoder(new TextEncoderConfig(ShapeImages.Vocabulary.Count, ShapeImages.ContextLength, 2, 2, 32, 64));
        encoder.eval();
        var padded = ShapeImages.Tokens(new[] { "a photo of a red circle" });     // [CLS] + 6 words + 4 padding tokens
        var unpadded = padded.narrow(1, 0, 7);
        Assert.True((encoder.forward(padded) - encoder.forward(unpadded)).abs().max().item<float>() < 1e-5f);
        Assert.False((encoder.forward(padded) - encoder.forward(ShapeImages.Tokens(new[] { "a photo of a red square" })))
            .abs().max().item<float>() < 1e-3f);
    }

    [Fact]
    public void Mean_pooling_averages_the_patch_outputs_and_CLS_pooling_reads_position_0()
    {
        using var scope = NewDisposeScope();
        manual_seed(10);
        var cls = new VisionTransformerEncoder(new VisionTransformerConfig(32, 8, 3, 1, 2, 32, 64));
        var mean = new VisionTransformerEncoder(new VisionTransformerConfig(32, 8, 3, 1, 2, 32, 64, MeanPooling: true));
        mean.load_state_dict(cls.state_dict());
        var images = rand(2, 3, 32, 32);
        var tokens = cls.Encode(images);
        Assert.Equal(new long[] { 2, 17, 32 }, tokens.shape);
        Assert.True((cls.forward(images) - tokens.select(1, 0)).abs().max().item<float>() < 1e-6f);
        Assert.True((mean.forward(images) - tokens.narrow(1, 1, 16).mean(new long[] { 1 })).abs().max().item<float>() < 1e-5f);
    }

    static DualEncoder Tiny() => new(
        new VisionTransformerConfig(ImageSize: 32, PatchSize: 8, Channels: 3, Layers: 1, Heads: 2, Width: 32, FeedForwardWidth: 64),
        new TextEncoderConfig(ShapeImages.Vocabulary.Count, ShapeImages.ContextLength, Layers: 1, Heads: 2, Width: 32, FeedForwardWidth: 64),
        embeddingSize: 16);
}
