using TransformersBook.Blocks;
using TransformersBook.Models;
using static TorchSharp.torch;

namespace TransformersBook.Onnx;

/// <summary>
/// The book's <see cref="Gpt"/> as an ONNX graph built from its weights (TorchSharp has no ONNX exporter). The graph
/// repeats the model's forward pass with standard operators: Gather for the token and position embeddings,
/// LayerNormalization (opset 17), MatMul + Add for every linear layer (weights stored transposed, as MatMul multiplies
/// on the right), Split, Reshape and Transpose for the heads, scores scaled by 1/√d_k, a causal mask applied with
/// Where, Softmax, GELU written with Erf, and the logits as a product with the transposed token embedding (one stored
/// copy: the output layer is tied).
/// </summary>
/// <remarks>
/// With <c>withCache</c> the graph also reads each layer's past keys and values (<c>past_key_i</c>,
/// <c>past_value_i</c>, shape batch × heads × past × d_k) and writes them extended by the new tokens
/// (<c>present_key_i</c>, <c>present_value_i</c>); the new tokens sit at positions past … past + n − 1, and query i
/// sees keys 0 … past + i. A past of length 0 makes it the plain forward pass.
/// </remarks>
public static class GptOnnxExport
{
    /// <summary>The name of the token input (int64, batch × sequence).</summary>
    public const string Tokens = "tokens";

    /// <summary>The name of the logits output (float32, batch × sequence × vocabulary).</summary>
    public const string Logits = "logits";

    /// <summary>The past-keys input of layer <paramref name="layer"/>.</summary>
    public static string PastKey(int layer) => $"past_key_{layer}";

    /// <summary>The past-values input of layer <paramref name="layer"/>.</summary>
    public static string PastValue(int layer) => $"past_value_{layer}";

    /// <summary>The extended keys output of layer <paramref name="layer"/>.</summary>
    public static string PresentKey(int layer) => $"present_key_{layer}";

    /// <summary>The extended values output of layer <paramref name="layer"/>.</summary>
    public static string PresentValue(int layer) => $"present_value_{layer}";

    /// <summary>LayerNorm's ε in TorchSharp's nn.LayerNorm, which the model uses.</summary>
    public const float LayerNormEpsilon = 1e-5f;

    /// <summary>Builds the graph of <paramref name="model"/> (with the GELU feed-forward of GPT-2).</summary>
    /// <param name="model">The model; its weights are copied into the graph as initializers.</param>
    /// <param name="withCache">Add the past/present key and value inputs and outputs for cached decoding.</param>
    public static OnnxGraph Build(Gpt model, bool withCache = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        var config = model.Config;
        if (config.FeedForwardKind != FeedForwardKind.Gelu)
            throw new ArgumentException($"the export covers the GELU feed-forward, not {config.FeedForwardKind}.", nameof(model));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        int d = config.Width, h = config.Heads, dk = d / h;
        var g = new OnnxGraph(withCache ? "gpt_with_cache" : "gpt");

        g.Input(Tokens, ScalarType.Int64, "batch", "sequence");
        var pastNames = new List<(string Key, string Value)>();
        if (withCache)
            for (int layer = 0; layer < config.Layers; layer++)
                pastNames.Add((g.Input(PastKey(layer), ScalarType.Float32, "batch", $"{h}", "past", $"{dk}"),
                    g.Input(PastValue(layer), ScalarType.Float32, "batch", $"{h}", "past", $"{dk}")));

        // Weights and constants.
        var embedding = g.Initializer("token_embedding", model.TokenEmbedding.weight!);
        var positionTable = g.Initializer("position_embedding", model.PositionEmbedding.weight!);
        var zero = g.ScalarConstant("zero", 0L);
        var one = g.ScalarConstant("one", 1L);
        var axisOne = g.Constant("axis_1", 1L);
        var headShape = g.Constant("head_shape", 0, 0, h, dk);
        var mergedShape = g.Constant("merged_shape", 0, 0, d);
        var splitSizes = g.Constant("qkv_split", d, d, d);
        var scale = g.ScalarConstant("attention_scale", (float)(1 / Math.Sqrt(dk)));
        var minusInfinity = g.ScalarConstant("minus_infinity", float.NegativeInfinity);
        var half = g.ScalarConstant("half", 0.5f);
        var unit = g.ScalarConstant("unit", 1f);
        var rootTwo = g.ScalarConstant("sqrt_2", (float)Math.Sqrt(2));

        // Positions past … past + n − 1, and the mask "key j lies after query i" of shape (n, past + n).
        var newLength = g.Node("Gather", new[] { g.Node("Shape", new[] { Tokens }, "tokens_shape"), one }, "new_length", OnnxAttribute.Of("axis", 0L));
        var past = withCache
            ? g.Node("Gather", new[] { g.Node("Shape", new[] { pastNames[0].Key }, "past_shape"), g.ScalarConstant("two", 2L) }, "past_length", OnnxAttribute.Of("axis", 0L))
            : zero;
        var total = g.Node("Add", new[] { past, newLength }, "total_length");
        var positions = g.Node("Range", new[] { past, total, one }, "positions");
        var keyPositions = g.Node("Range", new[] { zero, total, one }, "key_positions");
        var queryColumn = g.Node("Unsqueeze", new[] { positions, axisOne }, "query_positions");
        var future = g.Node("Greater", new[] { keyPositions, queryColumn }, "future");

        var x = g.Node("Add", new[]
        {
            g.Node("Gather", new[] { embedding, Tokens }, "token_vectors"),
            g.Node("Gather", new[] { positionTable, positions }, "position_vectors"),
        }, "embedded");

        string Linear(string input, TorchSharp.Modules.Linear layer, string name) => g.Node("Add", new[]
        {
            g.Node("MatMul", new[] { input, g.Initializer($"{name}.weight_t", layer.weight!.t()) }, $"{name}.product"),
            g.Initializer($"{name}.bias", layer.bias!),
        }, $"{name}.out");

        string LayerNorm(string input, TorchSharp.Modules.LayerNorm norm, string name) => g.Node("LayerNormalization", new[]
        {
            input, g.Initializer($"{name}.weight", norm.weight!), g.Initializer($"{name}.bias", norm.bias!),
        }, $"{name}.out", OnnxAttribute.Of("axis", -1L), OnnxAttribute.Of("epsilon", LayerNormEpsilon));

        string Heads(string input, string name) =>
            g.Node("Transpose", new[] { g.Node("Reshape", new[] { input, headShape }, $"{name}.split_heads") }, $"{name}.heads",
                OnnxAttribute.Of("perm", 0, 2, 1, 3));

        for (int layer = 0; layer < config.Layers; layer++)
        {
            var block = model.Blocks[layer];
            string p = $"blocks.{layer}";
            var normed = LayerNorm(x, block.AttentionNorm, $"{p}.attention_norm");
            var qkv = Linear(normed, block.Attention.QkvProjection, $"{p}.qkv");
            var parts = g.Node("Split", new[] { qkv, splitSizes }, new[] { $"{p}.q", $"{p}.k", $"{p}.v" }, OnnxAttribute.Of("axis", 2L));
            var q = Heads(parts[0], $"{p}.q");
            var k = Heads(parts[1], $"{p}.k");
            var v = Heads(parts[2], $"{p}.v");
            if (withCache)
            {
                k = g.Node("Concat", new[] { pastNames[layer].Key, k }, PresentKey(layer), OnnxAttribute.Of("axis", 2L));
                v = g.Node("Concat", new[] { pastNames[layer].Value, v }, PresentValue(layer), OnnxAttribute.Of("axis", 2L));
            }
            var keysT = g.Node("Transpose", new[] { k }, $"{p}.keys_t", OnnxAttribute.Of("perm", 0, 1, 3, 2));
            var scores = g.Node("Mul", new[] { g.Node("MatMul", new[] { q, keysT }, $"{p}.dot"), scale }, $"{p}.scores");
            var masked = g.Node("Where", new[] { future, minusInfinity, scores }, $"{p}.masked");
            var weights = g.Node("Softmax", new[] { masked }, $"{p}.weights", OnnxAttribute.Of("axis", -1L));
            var mixed = g.Node("MatMul", new[] { weights, v }, $"{p}.mixed");
            var merged = g.Node("Reshape", new[]
            {
                g.Node("Transpose", new[] { mixed }, $"{p}.mixed_t", OnnxAttribute.Of("perm", 0, 2, 1, 3)), mergedShape,
            }, $"{p}.merged");
            x = g.Node("Add", new[] { x, Linear(merged, block.Attention.OutputProjection, $"{p}.attention_out") }, $"{p}.after_attention");

            var feedForward = block.FeedForwardSublayer.named_children().ToDictionary(child => child.name, child => child.module);
            var up = Linear(LayerNorm(x, block.FeedForwardNorm, $"{p}.feed_forward_norm"), (TorchSharp.Modules.Linear)feedForward["up"], $"{p}.up");
            // GELU(u) = u · ½(1 + erf(u/√2)), the exact form nn.GELU computes.
            var erf = g.Node("Erf", new[] { g.Node("Div", new[] { up, rootTwo }, $"{p}.gelu_scaled") }, $"{p}.gelu_erf");
            var gelu = g.Node("Mul", new[] { g.Node("Mul", new[] { up, half }, $"{p}.gelu_half"), g.Node("Add", new[] { erf, unit }, $"{p}.gelu_gate") }, $"{p}.gelu");
            x = g.Node("Add", new[] { x, Linear(gelu, (TorchSharp.Modules.Linear)feedForward["down"], $"{p}.down") }, $"{p}.out");
        }

        var final = LayerNorm(x, model.FinalNorm, "final_norm");
        var outputLayer = g.Node("Transpose", new[] { embedding }, "token_embedding_t", OnnxAttribute.Of("perm", 1, 0));
        g.Node("MatMul", new[] { final, outputLayer }, Logits);
        g.Output(Logits, ScalarType.Float32, "batch", "sequence", $"{config.VocabularySize}");
        if (withCache)
            for (int layer = 0; layer < config.Layers; layer++)
            {
                g.Output(PresentKey(layer), ScalarType.Float32, "batch", $"{h}", "total", $"{dk}");
                g.Output(PresentValue(layer), ScalarType.Float32, "batch", $"{h}", "total", $"{dk}");
            }
        return g;
    }
}
