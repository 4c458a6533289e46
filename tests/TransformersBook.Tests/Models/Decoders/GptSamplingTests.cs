using TorchSharp;
using TransformersBook.Models;
using Xunit;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>Gpt.Generate's temperature and top-k: each test would fail if the filter or the scaling were skipped.</summary>
[Collection(ProcessState.Name)]
public class GptSamplingTests
{
    public GptSamplingTests() => TestSetup.Initialize();

    static readonly GptConfig Tiny = new(VocabularySize: 65, ContextLength: 16, Layers: 2, Heads: 2, Width: 32);

    // Greedy decoding written out: the argmax of the last position's logits, context cropped like Generate.
    static Tensor Greedy(Gpt model, Tensor tokens, int newTokens)
    {
        model.eval();
        using var noGrad = no_grad();
        var sequence = tokens.clone();
        for (int i = 0; i < newTokens; i++)
        {
            long length = sequence.shape[1];
            var context = length <= Tiny.ContextLength ? sequence : sequence.narrow(1, length - Tiny.ContextLength, Tiny.ContextLength);
            var next = model.forward(context).select(1, -1).argmax(-1, keepdim: true);
            sequence = cat(new[] { sequence, next }, dim: 1);
        }
        return sequence;
    }

    static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    [Fact]
    public void Top_k_of_one_is_greedy_argmax()
    {
        manual_seed(11);
        using var model = new Gpt(Tiny);
        using var prompt = randint(0, 65, new long[] { 3, 4 });
        using var sampled = model.Generate(prompt, newTokens: 24, temperature: 1.0, topK: 1, generator: new Generator(3));
        using var greedy = Greedy(model, prompt, 24);
        Assert.True(Same(sampled, greedy), "top-k = 1 sampled a token other than the argmax");
    }

    [Fact]
    public void A_small_temperature_concentrates_on_the_argmax_and_temperature_one_does_not()
    {
        manual_seed(12);
        using var model = new Gpt(Tiny);
        using var prompt = randint(0, 65, new long[] { 4, 4 });
        using var greedy = Greedy(model, prompt, 24);
        using var cold = model.Generate(prompt, newTokens: 24, temperature: 1e-4, generator: new Generator(4));
        Assert.True(Same(cold, greedy), "temperature 1e-4 did not reproduce greedy decoding");
        // Control: at temperature 1 an untrained model is close to uniform, so sampling leaves the greedy path.
        using var warm = model.Generate(prompt, newTokens: 24, temperature: 1.0, generator: new Generator(4));
        Assert.False(Same(warm, greedy), "temperature 1 matched greedy decoding: the sampler may ignore its randomness");
    }

    [Fact]
    public void Top_k_never_emits_a_token_outside_the_k_largest_logits()
    {
        manual_seed(13);
        using var model = new Gpt(Tiny);
        using var prompt = randint(0, 65, new long[] { 4, 4 });
        const int k = 3, newTokens = 30;
        using var sampled = model.Generate(prompt, newTokens, temperature: 2.0, topK: k, generator: new Generator(5));
        model.eval();
        using var noGrad = no_grad();
        var seen = new HashSet<long>();
        for (int i = 0; i < newTokens; i++)
        {
            long length = prompt.shape[1] + i;
            long start = Math.Max(0, length - Tiny.ContextLength);
            using var context = sampled.narrow(1, start, length - start);
            using var allowed = model.forward(context).select(1, -1).topk(k).indexes;     // [batch, k]
            using var emitted = sampled.select(1, length).unsqueeze(1);                   // [batch, 1]
            Assert.True(allowed.eq(emitted).any(1).all().item<bool>(), $"step {i}: a token outside the top {k}");
            for (long b = 0; b < sampled.shape[0]; b++) seen.Add((allowed.eq(emitted)[b].nonzero()[0, 0]).item<long>());
        }
        // Not only the argmax: at temperature 2 the draw uses more than one of the k allowed ranks.
        Assert.True(seen.Count > 1, "top-k sampling only ever emitted the argmax");
    }
}
