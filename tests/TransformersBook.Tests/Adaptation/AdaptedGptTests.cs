using TorchSharp;
using TransformersBook.Adaptation;
using TransformersBook.Models;
using Xunit;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>A frozen GPT with LoRA, adapters, a soft prompt or prefixes: what it computes and what it trains.</summary>
[Collection(ProcessState.Name)]
public class AdaptedGptTests
{
    public AdaptedGptTests() => TestSetup.Initialize();

    static readonly GptConfig Tiny = new(VocabularySize: 20, ContextLength: 16, Layers: 2, Heads: 2, Width: 16);

    static float MaxDifference(Tensor a, Tensor b) => (a - b).abs().max().item<float>();

    [Fact]
    public void Without_additions_it_is_the_gpt_bit_for_bit()
    {
        manual_seed(1);
        using var model = new Gpt(Tiny);
        using var adapted = new AdaptedGpt(model, new AdaptationConfig());
        using var x = randint(0, 20, new long[] { 3, 16 });
        Assert.Equal(0.0, MaxDifference(adapted.forward(x), model.forward(x)));
        Assert.Equal(0, TrainableParameters.Count(adapted));
    }

    [Fact]
    public void New_lora_and_new_adapters_leave_the_outputs_unchanged()
    {
        manual_seed(2);
        using var model = new Gpt(Tiny);
        using var x = randint(0, 20, new long[] { 3, 16 });
        using var expected = model.forward(x);
        using var lora = LoRA.Apply(model, rank: 2, alpha: 4);
        Assert.Equal(0.0, MaxDifference(lora.forward(x), expected));
        using var adapters = new AdaptedGpt(model, new AdaptationConfig(AdapterBottleneck: 4));
        Assert.Equal(0.0, MaxDifference(adapters.forward(x), expected));
    }

    [Fact]
    public void Only_the_lora_matrices_require_grad_and_their_count_is_known_by_hand()
    {
        manual_seed(3);
        using var model = new Gpt(Tiny);
        using var lora = LoRA.Apply(model, rank: 2, alpha: 4);
        var trainable = TrainableParameters.Of(lora);
        var loraParameters = lora.LoRALayers.Values.SelectMany(l => new[] { l.A.Handle, l.B.Handle }).ToHashSet();
        Assert.Equal(loraParameters, trainable.Select(p => p.Handle).ToHashSet());
        Assert.All(model.parameters(), p => Assert.False(p.requires_grad));
        // per block, d = 16: qkv 2(16 + 48), output 2(16 + 16), up 2(16 + 64), down 2(64 + 16)
        long perBlock = 2 * (16 + 48) + 2 * (16 + 16) + 2 * (16 + 64) + 2 * (64 + 16);
        Assert.Equal(2 * perBlock, TrainableParameters.Count(lora));
        Assert.Equal(Tiny.ParameterCount + 2 * perBlock, TrainableParameters.Total(lora));
        Assert.Equal(2 * perBlock * 2 * 4, TrainableParameters.AdamStateBytes(lora));
        using var attentionOnly = LoRA.Apply(model, rank: 1, alpha: 1, LoRATargets.AttentionQkv);
        Assert.Equal(2 * (16 + 48), TrainableParameters.Count(attentionOnly));
    }

    [Fact]
    public void Adapter_prompt_and_prefix_counts_are_known_by_hand()
    {
        manual_seed(4);
        using var model = new Gpt(Tiny);
        using var adapters = new AdaptedGpt(model, new AdaptationConfig(AdapterBottleneck: 4));
        Assert.Equal(2 * 2 * (2 * 16 * 4 + 4 + 16), TrainableParameters.Count(adapters));
        using var prompt = new AdaptedGpt(model, new AdaptationConfig(PromptLength: 5));
        Assert.Equal(5 * 16, TrainableParameters.Count(prompt));
        using var prefix = new AdaptedGpt(model, new AdaptationConfig(PrefixLength: 3));
        Assert.Equal(2 * 2 * 3 * 16, TrainableParameters.Count(prefix));
    }

    [Fact]
    public void Merged_lora_weights_give_the_same_logits()
    {
        manual_seed(5);
        using var model = new Gpt(Tiny);
        using var lora = LoRA.Apply(model, rank: 2, alpha: 4);
        using (no_grad())
            foreach (var layer in lora.LoRALayers.Values) layer.B.copy_(randn_like(layer.B) * 0.1);
        using var merged = lora.MergeLoRA();
        using var x = randint(0, 20, new long[] { 3, 16 });
        using var adaptedLogits = lora.forward(x);
        Assert.True(MaxDifference(adaptedLogits, model.forward(x)) > 1e-3);
        Assert.True(MaxDifference(adaptedLogits, merged.forward(x)) < 1e-5);
    }

    [Fact]
    public void Prompt_and_prefix_keep_the_output_shape_and_causality()
    {
        manual_seed(6);
        using var model = new Gpt(Tiny);
        foreach (var config in new[] { new AdaptationConfig(PromptLength: 4), new AdaptationConfig(PrefixLength: 4) })
        {
            var adapted = new AdaptedGpt(model, config);   // not disposed: disposing it would dispose the shared GPT
            using var x = randint(0, 20, new long[] { 2, 10 });
            using var logits = adapted.forward(x);
            Assert.Equal(new long[] { 2, 10, 20 }, logits.shape);
            // changing the last token changes no earlier position's logits
            using var changed = x.clone();
            changed[.., 9] = (changed[.., 9] + 1).remainder(20);
            using var changedLogits = adapted.forward(changed);
            Assert.Equal(0.0, MaxDifference(logits.narrow(1, 0, 9), changedLogits.narrow(1, 0, 9)), 6);
        }
    }

    [Fact]
    public void A_cloned_gpt_is_equal_and_independent()
    {
        manual_seed(7);
        using var model = new Gpt(Tiny);
        using var copy = GptCloning.Clone(model);
        using var x = randint(0, 20, new long[] { 2, 8 });
        Assert.Equal(0.0, MaxDifference(model.forward(x), copy.forward(x)));
        using (no_grad()) copy.parameters().First().add_(1.0);
        Assert.True(MaxDifference(model.forward(x), copy.forward(x)) > 0);
    }
}
