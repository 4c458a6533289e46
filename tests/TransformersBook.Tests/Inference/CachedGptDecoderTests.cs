using TransformersBook.Inference;
using TransformersBook.Models;
using Xunit;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>The cached decoder reproduces the full forward pass, token by token and in chunks.</summary>
[Collection(ProcessState.Name)]
public class CachedGptDecoderTests
{
    public CachedGptDecoderTests() => TestSetup.Initialize();

    static Gpt RandomGpt()
    {
        manual_seed(7);
        var model = new Gpt(new GptConfig(VocabularySize: 23, ContextLength: 32, Layers: 2, Heads: 4, Width: 32));
        model.eval();
        return model;
    }

    [Fact]
    public void Cached_logits_equal_the_full_forward_at_every_step()
    {
        var model = RandomGpt();
        var decoder = new CachedGptDecoder(model);
        var tokens = randint(0, 23, new long[] { 3, 20 }, generator: new Generator(3));
        using var noGrad = no_grad();
        var full = model.forward(tokens);
        using var cache = decoder.NewCache();
        // A prompt of 5 in one pass, then one token at a time, then a chunk of 4 after a cache of 16.
        var prompt = decoder.Forward(tokens.narrow(1, 0, 5), cache);
        Assert.True((prompt - full.narrow(1, 0, 5)).abs().max().item<float>() < 1e-5f);
        for (int t = 5; t < 16; t++)
        {
            var step = decoder.Forward(tokens.narrow(1, t, 1), cache);
            Assert.True((step - full.narrow(1, t, 1)).abs().max().item<float>() < 1e-5f, $"step {t}");
        }
        var chunk = decoder.Forward(tokens.narrow(1, 16, 4), cache);
        Assert.True((chunk - full.narrow(1, 16, 4)).abs().max().item<float>() < 1e-5f);
        Assert.Equal(20, cache.Length);
        Assert.Equal(2L * 2 * 3 * 4 * 8 * 20 * 4, cache.Bytes);   // keys and values · layers · batch · heads · d_k · T · float32
    }

    [Fact]
    public void Truncating_the_cache_rolls_back_to_a_shorter_prefix()
    {
        var model = RandomGpt();
        var decoder = new CachedGptDecoder(model);
        var tokens = randint(0, 23, new long[] { 1, 12 }, generator: new Generator(4));
        using var noGrad = no_grad();
        var full = model.forward(tokens);
        using var cache = decoder.NewCache();
        decoder.Forward(tokens.narrow(1, 0, 10), cache);
        cache.Truncate(6);
        var again = decoder.Forward(tokens.narrow(1, 6, 6), cache);
        Assert.True((again - full.narrow(1, 6, 6)).abs().max().item<float>() < 1e-5f);
    }

    [Fact]
    public void Cached_greedy_generation_equals_greedy_by_full_recompute()
    {
        var model = RandomGpt();
        var prompt = randint(0, 23, new long[] { 2, 4 }, generator: new Generator(5));
        var cached = new CachedGptDecoder(model).Generate(prompt, 12, CachedGptDecoder.Greedy);
        var sequence = prompt;
        using (no_grad())
            for (int i = 0; i < 12; i++)
                sequence = cat(new[] { sequence, model.forward(sequence).select(1, sequence.shape[1] - 1).argmax(-1, keepdim: true) }, dim: 1);
        Assert.Equal(sequence.data<long>().ToArray(), cached.data<long>().ToArray());
    }
}
