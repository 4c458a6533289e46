using TorchSharp;
using TransformersBook.Models;
using Xunit;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>The library's GPT: its size, its causality, its loss at initialisation, and that it learns.</summary>
// Seeded learning tests share torch's global generator: run them alone so the seed decides the result.
[Collection(ProcessState.Name)]
public class GptTests
{
    public GptTests() => TestSetup.Initialize();

    static readonly GptConfig Tiny = new(VocabularySize: 65, ContextLength: 32, Layers: 2, Heads: 2, Width: 32);

    [Fact]
    public void Counted_parameters_match_the_architecture_formula()
    {
        using var model = new Gpt(Tiny);
        Assert.Equal(Tiny.ParameterCount, model.parameters().Sum(p => p.numel()));
        // nanoGPT's character model (vocabulary 65): 10.7 M parameters.
        Assert.InRange(GptConfig.NanoCharacterLevel(65).ParameterCount, 10_700_000, 10_800_000);
    }

    [Fact]
    public void The_loss_at_initialisation_is_that_of_a_uniform_guess()
    {
        manual_seed(3);
        using var model = new Gpt(Tiny);
        using var x = randint(0, 65, new long[] { 4, 32 });
        using var y = randint(0, 65, new long[] { 4, 32 });
        using var loss = model.Loss(x, y);
        Assert.InRange(loss.item<float>(), Math.Log(65) - 0.1, Math.Log(65) + 0.1);
    }

    [Fact]
    public void A_token_never_sees_the_tokens_after_it()
    {
        manual_seed(4);
        using var model = new Gpt(Tiny);
        model.eval();
        using var x = randint(0, 65, new long[] { 2, 32 });
        using var changed = x.clone();
        changed[.., 20] = (changed[.., 20] + 1) % 65;
        using var a = model.forward(x);
        using var b = model.forward(changed);
        Assert.Equal(0f, (a[.., ..20] - b[.., ..20]).abs().max().item<float>());
        Assert.True((a[.., 20] - b[.., 20]).abs().max().item<float>() > 1e-3f);
    }

    [Fact]
    public void It_memorises_a_batch_and_generates_within_the_context()
    {
        manual_seed(5);
        using var model = new Gpt(Tiny);
        using var x = randint(0, 65, new long[] { 4, 32 });
        using var y = randint(0, 65, new long[] { 4, 32 });
        var optimizer = optim.AdamW(model.parameters(), lr: 3e-3);
        float last = float.NaN;
        for (int step = 0; step < 150; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = model.Loss(x, y);
            loss.backward();
            optimizer.step();
            last = loss.item<float>();
        }
        Assert.True(last < 0.5f, $"loss after 150 steps: {last}");
        using var generated = model.Generate(x[..1, ..5], newTokens: 40, temperature: 1.0, topK: 5, generator: new Generator(7));
        Assert.Equal(new long[] { 1, 45 }, generated.shape);
        Assert.True(generated.max().item<long>() < 65);
    }

    [Fact]
    public void A_sequence_longer_than_the_context_is_refused()
    {
        using var model = new Gpt(Tiny);
        using var x = zeros(1, 33, dtype: ScalarType.Int64);
        var e = Assert.Throws<ArgumentException>(() => model.forward(x));
        Assert.Contains("longer than the context of 32", e.Message);
    }
}
