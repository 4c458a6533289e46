using TorchSharp;
using TransformersBook.Blocks;
using TransformersBook.Models;
using Xunit;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>
/// The skeleton the decoder-only models share: GPT-2's parameter names in GPT-2's order (chapters load their own
/// from-scratch models into the library's with load_state_dict), the optional parts, and the shared generation loop.
/// </summary>
[Collection(ProcessState.Name)]
public class DecoderLanguageModelTests
{
    public DecoderLanguageModelTests() => TestSetup.Initialize();

    [Fact]
    public void A_gpt_keeps_GPT_2_s_parameter_names_in_creation_order()
    {
        using var gpt = new Gpt(new GptConfig(VocabularySize: 11, ContextLength: 8, Layers: 2, Heads: 2, Width: 8));
        var names = gpt.named_parameters().Select(p => p.name).ToArray();
        Assert.Equal(new[] { "tokenEmbedding.weight", "positionEmbedding.weight" }, names.Take(2));
        Assert.StartsWith("blocks.0.", names[2], StringComparison.Ordinal);
        Assert.Contains(names, name => name.StartsWith("blocks.1.", StringComparison.Ordinal));
        Assert.Equal(new[] { "finalNorm.weight", "finalNorm.bias" }, names.TakeLast(2));
        Assert.Contains(gpt.named_modules(), m => m.name == "embeddingDropout");
    }

    [Fact]
    public void A_state_space_model_has_no_position_table_and_reads_any_length()
    {
        manual_seed(2);
        using var model = new StateSpaceLanguageModel(new StateSpaceConfig(VocabularySize: 11, Layers: 1, Width: 8, StateSize: 4));
        Assert.DoesNotContain(model.named_parameters(), p => p.name.StartsWith("positionEmbedding", StringComparison.Ordinal));
        Assert.Null(model.ContextLength);
        using var tokens = randint(0, 11, new long[] { 1, 300 });
        using var logits = model.forward(tokens);
        Assert.Equal(new long[] { 1, 300, 11 }, logits.shape);
    }

    [Fact]
    public void A_deep_stack_has_no_embedding_dropout_module()
    {
        using var model = new DeepStackLanguageModel(new GptConfig(11, 8, 2, 2, 8, Dropout: 0.1), NormPlacement.PostNorm);
        Assert.DoesNotContain(model.named_modules(), m => m.name == "embeddingDropout");
    }

    [Fact]
    public void A_sequence_longer_than_the_context_is_refused_with_its_length()
    {
        using var moe = new MoeGpt(new MoeGptConfig(11, 4, 1, 2, 8, Experts: 2, ExpertHidden: 8));
        using var tokens = zeros(new long[] { 1, 5 }, ScalarType.Int64);
        var error = Assert.Throws<ArgumentException>(() => moe.forward(tokens));
        Assert.Contains("5 tokens is longer than the context of 4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_model_generates_with_the_shared_loop_cropping_to_its_context()
    {
        manual_seed(3);
        using var moe = new MoeGpt(new MoeGptConfig(11, 4, 1, 2, 8, Experts: 2, ExpertHidden: 8));
        using var prompt = zeros(new long[] { 2, 3 }, ScalarType.Int64);
        using var generated = moe.Generate(prompt, 6, generator: new Generator(1));
        Assert.Equal(new long[] { 2, 9 }, generated.shape);
        Assert.True(moe.training, "generation restores training mode");
        using var sameSeed = moe.Generate(prompt, 6, generator: new Generator(1));
        Assert.True(generated.equal(sameSeed).all().item<bool>());
    }
}
