using TransformersBook.Attention;
using TransformersBook.Models;
using TransformersBook.Pruning;
using TransformersBook.Quantization;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

[Collection(ProcessState.Name)]
public class PruningTests
{
    public PruningTests() => TestSetup.Initialize();

    static float[] Values(Tensor t) => t.to_type(ScalarType.Float32).contiguous().data<float>().ToArray();

    [Fact]
    public void Magnitude_per_layer_and_per_row_remove_the_hand_picked_weights()
    {
        var w = tensor(new float[] { 0.1f, -0.9f, 0.3f, -0.2f, 2f, 1.5f, -1f, 0.05f }).view(2, 4);
        // Per layer at 50 %: the four smallest |w| (0.05, 0.1, 0.2, 0.3) go, whatever their rows.
        Assert.Equal(new float[] { 0, 1, 0, 0, 1, 1, 1, 0 }, Values(MagnitudePruner.Mask(w, 0.5, PruningGroup.Layer)));
        // Per row at 50 %: each row loses its own two smallest.
        Assert.Equal(new float[] { 0, 1, 1, 0, 1, 1, 0, 0 }, Values(MagnitudePruner.Mask(w, 0.5, PruningGroup.Row)));
        // At 25 % per row: one weight per row.
        Assert.Equal(new float[] { 0, 1, 1, 1, 1, 1, 1, 0 }, Values(MagnitudePruner.Mask(w, 0.25, PruningGroup.Row)));
        Assert.Equal(new float[] { 1, 1, 1, 1, 1, 1, 1, 1 }, Values(MagnitudePruner.Mask(w, 0.0, PruningGroup.Layer)));
    }

    [Fact]
    public void Sparsity_is_exact_per_layer_and_in_every_row_even_with_ties()
    {
        manual_seed(3);
        var w = randn(24, 40);
        w[0] = zeros(40);                                  // a row of ties
        foreach (double s in new[] { 0.1, 0.3, 0.5, 0.7 })
        {
            var layerMask = MagnitudePruner.Mask(w, s, PruningGroup.Layer);
            Assert.Equal(PruningMask.Removed(24 * 40, s), (layerMask == 0).sum().item<long>());
            var rowMask = MagnitudePruner.Mask(w, s, PruningGroup.Row);
            var zerosPerRow = (rowMask == 0).sum(dim: 1);
            Assert.True((zerosPerRow == PruningMask.Removed(40, s)).all().item<bool>());
        }
        Assert.Equal(3, PruningMask.Removed(10, 0.3));     // 0.3 · 10 = 3.0000000000000004 in floating point
        Assert.Equal(7, PruningMask.Removed(10, 0.7));
        Assert.Equal(0.5, PruningMask.Sparsity(MagnitudePruner.Mask(w, 0.5, PruningGroup.Row)));
    }

    [Fact]
    public void Wanda_scores_weigh_each_column_by_its_input_norm()
    {
        var w = tensor(new float[] { 1f, -2f, 3f, 0.5f }).view(2, 2);
        // Two tokens: ‖X_0‖ = √(3² + 4²) = 5, ‖X_1‖ = √(0² + 1²) = 1.
        var x = tensor(new float[] { 3f, 0f, 4f, 1f }).view(2, 2);
        Assert.Equal(new float[] { 5f, 1f }, Values(WandaPruner.InputNorms(x)));
        Assert.Equal(new float[] { 5f, 2f, 15f, 0.5f }, Values(WandaPruner.Scores(w, WandaPruner.InputNorms(x))));
        // At 50 % per row Wanda drops column 1 in both rows; magnitude would drop w_00 = 1 (smaller than |−2|).
        Assert.Equal(new float[] { 1, 0, 1, 0 }, Values(WandaPruner.Mask(w, x, 0.5)));
        Assert.Equal(new float[] { 0, 1, 1, 0 }, Values(MagnitudePruner.Mask(w, 0.5, PruningGroup.Row)));
    }

    [Fact]
    public void Two_four_masks_zero_the_two_smallest_of_every_group_of_four()
    {
        var scores = tensor(new float[] { 4, 1, 3, 2, /**/ 0.1f, 0.4f, 0.3f, 0.2f, /**/ 5, 6, 7, 8, /**/ 1, 1, 2, 2 }).view(2, 8);
        var mask = NmSparsity.Mask(scores, 2, 4);
        Assert.Equal(new float[] { 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 1, 1 }, Values(mask));
        Assert.True(NmSparsity.Holds(mask, 2, 4));
        Assert.Equal(0.5, PruningMask.Sparsity(mask));
        // 50 % unstructured need not be 2:4: three zeros in one group, one in the next.
        var unstructured = tensor(new float[] { 0, 0, 0, 1, 1, 1, 0, 1 }).view(1, 8);
        Assert.False(NmSparsity.Holds(unstructured, 2, 4));
        manual_seed(5);
        var w = randn(16, 64);
        Assert.True(NmSparsity.Holds(w * NmSparsity.Mask(w.abs(), 2, 4), 2, 4));
        Assert.True(NmSparsity.Holds(w * NmSparsity.Mask(w.abs(), 4, 8), 4, 8));
    }

    [Fact]
    public void Masking_heads_equals_removing_them_and_masking_all_leaves_the_bias()
    {
        manual_seed(7);
        var attention = new CausalSelfAttention(width: 16, heads: 4);
        attention.eval();
        var x = randn(2, 5, 16);
        var removed = HeadPruning.Remove(attention, new[] { 0, 2 });
        Assert.Equal(new long[] { 3 * 8, 16 }, removed.QkvWeight.shape);
        Assert.Equal(new long[] { 16, 8 }, removed.OutputWeight.shape);
        HeadPruning.Mask(attention, new[] { 1, 3 });
        using (no_grad())
        {
            Assert.True((attention.forward(x) - removed.Forward(x)).abs().max().item<float>() < 1e-5f);
            HeadPruning.Mask(attention, new[] { 0, 2 });
            var bias = attention.OutputProjection.bias!.expand(2, 5, 16);
            Assert.True((attention.forward(x) - bias).abs().max().item<float>() < 1e-6f);
        }
    }

    [Fact]
    public void Whole_gpt_pruning_reaches_the_stated_sparsity_and_head_scores_restore_the_weights()
    {
        manual_seed(9);
        var model = new Gpt(new GptConfig(20, ContextLength: 8, Layers: 2, Heads: 2, Width: 16));
        model.eval();
        var tokens = randint(0, 20, new long[] { 4, 8 });
        var before = model.parameters().Select(p => p.detach().clone()).ToList();
        double Loss() { using (no_grad()) return model.Loss(tokens, tokens).item<float>(); }
        var scores = HeadPruning.LossIncrease(model, Loss);
        Assert.Equal(2, scores.GetLength(0));
        Assert.Equal(2, scores.GetLength(1));
        Assert.All(model.parameters().Zip(before), pair => Assert.Equal(0f, (pair.First - pair.Second).abs().max().item<float>()));
        GptPruning.ApplyWanda(model, tokens, 0.5);
        foreach (var (_, layer) in GptQuantization.AllLinears(model))
            Assert.True(((layer.weight! == 0).sum(dim: 1) == layer.weight!.shape[1] / 2).all().item<bool>());
        Assert.Equal(0.5, GptPruning.Sparsity(model));
    }
}
