using TorchSharp;
using TorchSharp.Modules;
using TransformersBook.Models;
using static TorchSharp.torch;

namespace TransformersBook.Quantization;

/// <summary>
/// Weight-only quantization of a whole <see cref="Gpt"/> with GPT-2's feed-forward sublayer: the four linear layers
/// of every block (attention's qkv and output projections, the feed-forward up and down projections) are replaced in
/// place by their quantized-then-dequantized weights. Embeddings (also the tied output layer), LayerNorms and biases
/// stay in floating point, as in GPTQ's experiments.
/// </summary>
public static class GptQuantization
{
    /// <summary>The four linear layers of a block, in the order the block applies them, with their names.</summary>
    /// <param name="model">The model.</param>
    /// <param name="block">The block's index, from 0.</param>
    public static IReadOnlyList<(string Name, Linear Layer)> Linears(Gpt model, int block)
    {
        ArgumentNullException.ThrowIfNull(model);
        var b = model.Blocks[block];
        var attention = Children(b.Attention);
        var feedForward = Children(b.FeedForwardSublayer);
        return new[]
        {
            ($"blocks.{block}.attention.qkv", (Linear)attention["qkv"]),
            ($"blocks.{block}.attention.output", (Linear)attention["output"]),
            ($"blocks.{block}.feedForward.up", (Linear)feedForward["up"]),
            ($"blocks.{block}.feedForward.down", (Linear)feedForward["down"]),
        };
    }

    /// <summary>Every linear layer <see cref="Linears"/> names, block by block.</summary>
    /// <param name="model">The model.</param>
    public static IEnumerable<(string Name, Linear Layer)> AllLinears(Gpt model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Enumerable.Range(0, model.Blocks.Count).SelectMany(i => Linears(model, i));
    }

    /// <summary>
    /// The inputs of a block's four linear layers when the model reads <paramref name="tokens"/>, with its current
    /// weights: LN₁(x) for qkv, the heads' concatenated outputs for the output projection, LN₂(x + attention) for up,
    /// GELU(up) for down. Each is (batch·time, in).
    /// </summary>
    /// <param name="model">The model (evaluation mode is assumed).</param>
    /// <param name="tokens">(batch, time) token ids.</param>
    /// <param name="block">The block's index, from 0.</param>
    public static Tensor[] LinearInputs(Gpt model, Tensor tokens, int block)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokens);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = model.Embed(tokens);
        for (int i = 0; i < block; i++) x = model.Blocks[i].forward(x);
        var b = model.Blocks[block];
        var parts = Children(b);
        var layers = Linears(model, block);
        Linear qkv = layers[0].Layer, output = layers[1].Layer, up = layers[2].Layer;
        long batch = x.shape[0], time = x.shape[1], width = x.shape[2];
        int heads = model.Config.Heads;
        var attentionInput = ((nn.Module<Tensor, Tensor>)parts["attentionNorm"]).forward(x);
        var split = qkv.forward(attentionInput).split(width, dim: 2);
        Tensor Heads(Tensor z) => z.view(batch, time, heads, width / heads).transpose(1, 2);
        var context = nn.functional.scaled_dot_product_attention(Heads(split[0]), Heads(split[1]), Heads(split[2]), is_casual: true)
            .transpose(1, 2).contiguous().view(batch, time, width);
        x = x + output.forward(context);
        var feedForwardInput = ((nn.Module<Tensor, Tensor>)parts["feedForwardNorm"]).forward(x);
        var hidden = nn.functional.gelu(up.forward(feedForwardInput));
        return new[] { attentionInput, context, feedForwardInput, hidden }
            .Select(t => t.reshape(-1, t.shape[^1]).MoveToOuterDisposeScope()).ToArray();
    }

    /// <summary>Replaces every block weight by its group-wise round-to-nearest version (<see cref="GroupQuantizer"/>).</summary>
    /// <param name="model">The model, changed in place.</param>
    /// <param name="bits">Bits per code.</param>
    /// <param name="groupSize">Columns per group, or null for one grid per output channel.</param>
    public static void ApplyRoundToNearest(Gpt model, int bits, int? groupSize)
    {
        using var noGrad = no_grad();
        foreach (var (_, layer) in AllLinears(model))
            layer.weight!.copy_(GroupQuantizer.RoundTrip(layer.weight!, bits, groupSize));
    }

    /// <summary>
    /// Replaces every block weight by GPTQ's, block by block: each block's calibration inputs are computed with the
    /// blocks before it already quantized (so later layers correct for earlier ones, as in the paper), and its four
    /// layers are quantized from them.
    /// </summary>
    /// <param name="model">The model, changed in place.</param>
    /// <param name="calibrationTokens">(batch, time) token ids of the calibration text.</param>
    /// <param name="bits">Bits per code.</param>
    /// <param name="groupSize">Columns per group, or null for one grid per output channel.</param>
    /// <param name="dampening">λ as a fraction of the mean diagonal of H.</param>
    public static void ApplyGptq(Gpt model, Tensor calibrationTokens, int bits, int? groupSize, double dampening = 0.01)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var noGrad = no_grad();
        for (int block = 0; block < model.Blocks.Count; block++)
        {
            var inputs = LinearInputs(model, calibrationTokens, block);
            var layers = Linears(model, block);
            for (int j = 0; j < layers.Count; j++)
            {
                using var scope = NewDisposeScope();
                var weight = layers[j].Layer.weight!;
                weight.copy_(Gptq.Quantize(weight, Gptq.Hessian(inputs[j]), bits, groupSize, dampening));
            }
            foreach (var t in inputs) t.Dispose();
        }
    }

    static Dictionary<string, nn.Module> Children(nn.Module module) =>
        module.named_children().ToDictionary(c => c.name, c => c.module);
}
