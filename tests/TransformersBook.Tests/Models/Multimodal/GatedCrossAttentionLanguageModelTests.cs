using TorchSharp;
using TransformersBook.Blocks;
using TransformersBook.Models;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>Flamingo's pieces: the gated block's formula with open gates, and a frozen GPT that reads images through gated blocks.</summary>
[Collection(ProcessState.Name)]
public class GatedCrossAttentionLanguageModelTests
{
    public GatedCrossAttentionLanguageModelTests() => TestSetup.Initialize();

    static readonly GptConfig Tiny = new(VocabularySize: 11, ContextLength: 6, Layers: 2, Heads: 2, Width: 16);
    static readonly VisionTransformerConfig SmallImages = new(ImageSize: 8, PatchSize: 4, Channels: 3, Layers: 1, Heads: 2, Width: 12, FeedForwardWidth: 24);

    [Fact]
    public void The_gated_block_with_open_gates_computes_its_formula()
    {
        manual_seed(5);
        using var block = new GatedCrossAttentionBlock(width: 8, mediaWidth: 6, heads: 2);
        var p = block.named_parameters().ToDictionary(x => x.name, x => x.parameter);
        using (no_grad()) { p["attentionGate"].fill_(0.7); p["feedForwardGate"].fill_(-0.4); }
        var text = randn(2, 5, 8);
        var media = randn(2, 3, 6);

        Tensor Linear(Tensor x, string name) => x.matmul(p[name + ".weight"].t()) + p[name + ".bias"];
        Tensor Norm(Tensor x, string name)
        {
            var mean = x.mean(new long[] { -1 }, keepdim: true);
            var variance = (x - mean).pow(2).mean(new long[] { -1 }, keepdim: true);
            return (x - mean) / (variance + 1e-5).sqrt() * p[name + ".weight"] + p[name + ".bias"];
        }
        Tensor Heads(Tensor x) => x.view(x.shape[0], x.shape[1], 2, 4).transpose(1, 2);
        var keys = Linear(media, "mediaProjection");
        var q = Heads(Linear(Norm(text, "attentionNorm"), "crossAttention.queryProjection"));
        var k = Heads(Linear(keys, "crossAttention.keyProjection"));
        var v = Heads(Linear(keys, "crossAttention.valueProjection"));
        var attended = (q.matmul(k.transpose(-2, -1)) / 2.0).softmax(-1).matmul(v).transpose(1, 2).reshape(2, 5, 8);
        var x = text + Math.Tanh(0.7) * Linear(attended, "crossAttention.outputProjection");
        var hidden = nn.functional.gelu(Linear(Norm(x, "feedForwardNorm"), "feedForward.up"));
        var expected = x + Math.Tanh(-0.4) * Linear(hidden, "feedForward.down");

        Assert.True((block.forward(text, media) - expected).abs().max().item<float>() < 1e-5f);
        Assert.Equal(Math.Tanh(0.7), block.AttentionGate, 6);
    }

    [Fact]
    public void Embed_blocks_and_final_norm_make_the_features()
    {
        manual_seed(6);
        using var gpt = new Gpt(Tiny);
        var tokens = randint(0, 11, new long[] { 3, 6 });
        var x = gpt.Embed(tokens);
        foreach (var block in gpt.Blocks) x = block.forward(x);
        Assert.True((gpt.FinalNorm.forward(x) - gpt.Features(tokens)).abs().max().item<float>() == 0f);
        Assert.Throws<ArgumentException>(() => gpt.Embed(randint(0, 11, new long[] { 1, 7 })));
    }

    [Fact]
    public void At_initialisation_the_model_is_the_frozen_language_model_and_only_the_new_parts_learn()
    {
        manual_seed(7);
        using var gpt = new Gpt(Tiny);
        using var model = new GatedCrossAttentionLanguageModel(gpt, SmallImages, adapterHeads: 2);
        var images = rand(3, 3, 8, 8);
        var tokens = randint(0, 11, new long[] { 3, 6 });
        Assert.True((model.forward(images, tokens) - gpt.forward(tokens)).abs().max().item<float>() == 0f);

        Assert.All(gpt.parameters(), p => Assert.False(p.requires_grad));
        long trainable = model.TrainableParameters().Sum(p => p.numel());
        Assert.Equal(model.parameters().Sum(p => p.numel()) - gpt.parameters().Sum(p => p.numel()), trainable);
        Assert.Equal(2, model.Adapters.Count);

        // One step of training opens the gates; the language model does not move, and afterwards the image matters.
        var before = gpt.parameters().Select(p => p.detach().clone()).ToList();
        var optimizer = optim.Adam(model.TrainableParameters(), lr: 0.01);
        for (int step = 0; step < 2; step++)
        {
            optimizer.zero_grad();
            var logits = model.forward(images, tokens);
            nn.functional.cross_entropy(logits.view(-1, 11), tokens.view(-1)).backward();
            Assert.All(gpt.parameters(), p => Assert.True(p.grad is null));
            Assert.All(model.TrainableParameters(), p => Assert.NotNull(p.grad));
            optimizer.step();
        }
        Assert.True(gpt.parameters().Zip(before).All(pair => pair.First.equal(pair.Second).all().item<bool>()));
        Assert.All(model.Adapters, a => Assert.NotEqual(0.0, a.AttentionGate));
        var withOther = model.forward(rand(3, 3, 8, 8), tokens);
        Assert.True((withOther - model.forward(images, tokens)).abs().max().item<float>() > 1e-6f);
        Assert.Throws<ArgumentException>(() => model.Logits(model.Media(images), randint(0, 11, new long[] { 2, 6 })));
    }
}
