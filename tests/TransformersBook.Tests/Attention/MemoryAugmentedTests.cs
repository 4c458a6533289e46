using TorchSharp;
using TransformersBook.Attention;
using TransformersBook.Blocks;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

[Collection(ProcessState.Name)]
public class MemoryAugmentedTests
{
    public MemoryAugmentedTests() => TestSetup.Initialize();

    [Fact]
    public void Knn_attention_without_memory_is_local_attention_and_then_remembers_up_to_its_size()
    {
        manual_seed(1);
        using var attention = new KnnMemoryAttention(width: 8, heads: 2, topK: 2, memorySize: 6);
        var x = randn(1, 4, 8);
        var first = attention.forward(x);
        Assert.Equal(4, attention.MemoryLength);
        // With no memory the layer is plain causal attention: a later token does not change earlier outputs.
        attention.ClearMemory();
        var changed = x.clone();
        changed[0, 3] = randn(8);
        Assert.True((attention.forward(changed).narrow(1, 0, 3) - first.narrow(1, 0, 3)).abs().max().item<float>() < 1e-6f);
        attention.forward(x);
        Assert.Equal(6, attention.MemoryLength);   // 8 written, the oldest 2 dropped
    }

    [Fact]
    public void Knn_attention_retrieves_what_it_stored_and_the_gate_decides_how_much()
    {
        manual_seed(2);
        using var attention = new KnnMemoryAttention(width: 8, heads: 1, topK: 1, memorySize: 100);
        var document = randn(1, 5, 8);
        attention.forward(document);
        attention.Remembering = false;
        var withMemory = attention.forward(document);
        Assert.Equal(5, attention.MemoryLength);
        attention.ClearMemory();
        var withoutMemory = attention.forward(document);
        Assert.True((withMemory - withoutMemory).abs().max().item<float>() > 1e-4f);
        Assert.Equal(0.5f, attention.Gates[0].item<float>(), 5);   // sigmoid(0): half memory, half local at the start
    }

    [Fact]
    public void A_gated_cross_attention_layer_starts_as_the_identity_and_trains_its_gates()
    {
        manual_seed(3);
        using var layer = new GatedCrossAttentionBlock(width: 8, mediaWidth: 6, heads: 2);
        var text = randn(2, 5, 8);
        var media = randn(2, 3, 6);
        Assert.True((layer.forward(text, media) - text).abs().max().item<float>() == 0f);
        Assert.Equal(0.0, layer.AttentionGate);
        layer.forward(text, media).pow(2).sum().backward();
        var gateGradient = layer.parameters().First(p => p.shape.SequenceEqual(new long[] { 1 })).grad!;
        Assert.True(gateGradient.abs().item<float>() > 0, "the closed gate still receives a gradient, so it can open");
    }
}

[Collection(ProcessState.Name)]
public class SingleStreamFusionTests
{
    public SingleStreamFusionTests() => TestSetup.Initialize();

    [Fact]
    public void Text_and_patches_attend_to_each_other_in_one_sequence()
    {
        manual_seed(4);
        using var model = new TransformersBook.Models.SingleStreamFusion(vocabularySize: 10, patchDimension: 12, maxLength: 16, width: 16, layers: 1, heads: 2, classes: 3);
        model.eval();
        var patches = randn(2, 4, 12);
        var tokens = randint(0, 10, new long[] { 2, 5 });
        Assert.Equal(new long[] { 2, 10, 16 }, model.Encode(patches, tokens).shape);
        var answer = model.forward(patches, tokens);
        Assert.Equal(new long[] { 2, 3 }, answer.shape);
        // The answer changes with the image and with the question: both reach the summary position.
        Assert.True((model.forward(randn(2, 4, 12), tokens) - answer).abs().max().item<float>() > 1e-4f);
        Assert.True((model.forward(patches, (tokens + 1).remainder(10)) - answer).abs().max().item<float>() > 1e-4f);
        Assert.Throws<ArgumentException>(() => model.forward(randn(2, 12, 12), tokens));
    }
}
