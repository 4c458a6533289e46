using TorchSharp;
using TransformersBook.Models;
using TransformersBook.Training;
using Xunit;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>Freezing a GPT but its last block: what requires a gradient and what an update changes.</summary>
[Collection(ProcessState.Name)]
public class LayerFreezingTests
{
    public LayerFreezingTests() => TestSetup.Initialize();

    static readonly GptConfig Tiny = new(VocabularySize: 12, ContextLength: 8, Layers: 3, Heads: 2, Width: 16);

    [Fact]
    public void Train_only_the_last_block_counts_its_parameters()
    {
        using var model = new Gpt(Tiny);
        LayerFreezing.TrainOnly(model, model.Blocks[^1], model.FinalNorm);
        long block = model.Blocks[^1].parameters().Sum(p => p.numel());
        Assert.Equal(block + 2 * 16, LayerFreezing.TrainableCount(model));
        Assert.Equal(12L * 16 * 16 + 13 * 16, block);       // 12d² + 13d with d = 16
        LayerFreezing.Unfreeze(model);
        Assert.Equal(Tiny.ParameterCount, LayerFreezing.TrainableCount(model));
        LayerFreezing.Freeze(model);
        Assert.Empty(LayerFreezing.Trainable(model));
    }

    [Fact]
    public void An_update_leaves_frozen_parameters_bit_for_bit()
    {
        manual_seed(5);
        using var model = new Gpt(Tiny);
        var before = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        LayerFreezing.TrainOnly(model, model.Blocks[^1]);
        var optimizer = optim.AdamW(LayerFreezing.Trainable(model), lr: 0.1);
        using var x = randint(0, 12, new long[] { 2, 8 });
        model.Loss(x, x).backward();
        optimizer.step();
        var after = model.state_dict();
        bool InLastBlock(string name) => name.StartsWith("blocks.2.", StringComparison.Ordinal);
        Assert.Contains(before, kv => InLastBlock(kv.Key) && !kv.Value.eq(after[kv.Key]).all().item<bool>());
        Assert.All(before.Where(kv => !InLastBlock(kv.Key)), kv => Assert.True(kv.Value.eq(after[kv.Key]).all().item<bool>(), kv.Key));
    }

    /// <summary>Holds a layer itself and again inside a wrapper, as a model and its LoRA wrapper hold the wrapped layer.</summary>
    sealed class SharedLayer : nn.Module<Tensor, Tensor>
    {
        readonly TorchSharp.Modules.Linear layer;
        readonly TorchSharp.Modules.Sequential wrapper;

        public SharedLayer() : base(nameof(SharedLayer))
        {
            layer = nn.Linear(3, 3);
            wrapper = nn.Sequential(layer);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x) => wrapper.forward(layer.forward(x));
    }

    [Fact]
    public void A_parameter_held_twice_is_listed_and_counted_once()
    {
        using var model = new SharedLayer();
        Assert.Equal(2, LayerFreezing.Parameters(model).Count);
        Assert.Equal(2, LayerFreezing.Trainable(model).Count);
        Assert.Equal(3 * 3 + 3, LayerFreezing.TrainableCount(model));
    }
}
