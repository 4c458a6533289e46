using TransformersBook.Models;
using TransformersBook.Quantization;
using static TorchSharp.torch;

namespace TransformersBook.Pruning;

/// <summary>
/// Pruning of a whole <see cref="Gpt"/>: the four linear layers of every block (attention's qkv and output projections,
/// the feed-forward up and down projections, as listed by <see cref="GptQuantization.Linears"/>) are multiplied in place
/// by their masks. Embeddings (also the tied output layer), LayerNorms and biases stay dense, as in Wanda's experiments.
/// </summary>
public static class GptPruning
{
    /// <summary>Masks every block weight with a mask computed from the weight alone (magnitude, magnitude N:M).</summary>
    /// <param name="model">The model, changed in place.</param>
    /// <param name="mask">Weight (out, in) → 0/1 mask of the same shape.</param>
    public static void Apply(Gpt model, Func<Tensor, Tensor> mask)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(mask);
        using var noGrad = no_grad();
        foreach (var (_, layer) in GptQuantization.AllLinears(model))
        {
            using var scope = NewDisposeScope();
            var weight = layer.weight!;
            weight.mul_(mask(weight));
        }
    }

    /// <summary>
    /// Masks every block weight with a mask computed from the weight and its calibration inputs (Wanda, Wanda N:M),
    /// block by block as Wanda's reference code does: a block's inputs are computed with the blocks before it already
    /// pruned, and all four of its layers are scored from one pass through the block as it was.
    /// </summary>
    /// <param name="model">The model, changed in place.</param>
    /// <param name="calibrationTokens">(batch, time) token ids of the calibration text.</param>
    /// <param name="mask">(weight (out, in), inputs (tokens, in)) → 0/1 mask of the weight's shape.</param>
    public static void Apply(Gpt model, Tensor calibrationTokens, Func<Tensor, Tensor, Tensor> mask)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(mask);
        using var noGrad = no_grad();
        for (int block = 0; block < model.Blocks.Count; block++)
        {
            var inputs = GptQuantization.LinearInputs(model, calibrationTokens, block);
            var layers = GptQuantization.Linears(model, block);
            for (int j = 0; j < layers.Count; j++)
            {
                using var scope = NewDisposeScope();
                var weight = layers[j].Layer.weight!;
                weight.mul_(mask(weight, inputs[j]));
            }
            foreach (var t in inputs) t.Dispose();
        }
    }

    /// <summary>Per-layer (or per-row) magnitude pruning of every block weight at <paramref name="sparsity"/>.</summary>
    /// <param name="model">The model, changed in place.</param>
    /// <param name="sparsity">The fraction of each matrix removed.</param>
    /// <param name="group">The comparison group.</param>
    public static void ApplyMagnitude(Gpt model, double sparsity, PruningGroup group = PruningGroup.Layer) =>
        Apply(model, w => MagnitudePruner.Mask(w, sparsity, group));

    /// <summary>Wanda pruning of every block weight at <paramref name="sparsity"/>, per output row.</summary>
    /// <param name="model">The model, changed in place.</param>
    /// <param name="calibrationTokens">(batch, time) token ids of the calibration text.</param>
    /// <param name="sparsity">The fraction of each row removed.</param>
    public static void ApplyWanda(Gpt model, Tensor calibrationTokens, double sparsity) =>
        Apply(model, calibrationTokens, (w, x) => WandaPruner.Mask(w, x, sparsity));

    /// <summary>The fraction of exact zeros over all block weights.</summary>
    /// <param name="model">The model.</param>
    public static double Sparsity(Gpt model)
    {
        ArgumentNullException.ThrowIfNull(model);
        long zeros = 0, total = 0;
        foreach (var (_, layer) in GptQuantization.AllLinears(model))
        {
            using var scope = NewDisposeScope();
            zeros += (layer.weight! == 0).sum().item<long>();
            total += layer.weight!.numel();
        }
        return zeros / (double)total;
    }
}
