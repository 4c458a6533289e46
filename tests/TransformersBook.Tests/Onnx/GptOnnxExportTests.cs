using TransformersBook.Checks;
using TransformersBook.Inference;
using TransformersBook.Models;
using TransformersBook.Onnx;
using Xunit;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>The ONNX graph of a random GPT, run in ONNX Runtime, reproduces TorchSharp's logits and greedy tokens.</summary>
[Collection(ProcessState.Name)]
public class GptOnnxExportTests
{
    public GptOnnxExportTests() => TestSetup.Initialize();

    static Gpt RandomGpt()
    {
        manual_seed(11);
        var model = new Gpt(new GptConfig(VocabularySize: 29, ContextLength: 32, Layers: 2, Heads: 4, Width: 32));
        model.eval();
        return model;
    }

    [Fact]
    public void Onnx_logits_equal_TorchSharp_logits()
    {
        var model = RandomGpt();
        var tokens = randint(0, 29, new long[] { 3, 17 }, generator: new Generator(5));
        using var noGrad = no_grad();
        var expected = model.forward(tokens);
        var graph = GptOnnxExport.Build(model);
        using var session = new OnnxSession(graph.ToBytes(), threads: 1);
        var logits = session.Run(new Dictionary<string, Tensor> { [GptOnnxExport.Tokens] = tokens })[GptOnnxExport.Logits];
        Assert.Equal(expected.shape, logits.shape);
        Assert.True(Difference.MaxAbs(logits, expected) < 1e-4, $"max |difference| {Difference.MaxAbs(logits, expected)}");
        Assert.Equal(model.Config.ParameterCount, graph.FloatInitializerElements - 5);   // five float scalar constants
    }

    [Fact]
    public void The_cached_graph_with_an_empty_past_equals_the_full_graph_and_extends_the_cache()
    {
        var model = RandomGpt();
        var tokens = randint(0, 29, new long[] { 1, 9 }, generator: new Generator(6));
        using var noGrad = no_grad();
        using var session = new OnnxSession(GptOnnxExport.Build(model, withCache: true).ToBytes(), threads: 1);
        var inputs = new Dictionary<string, Tensor> { [GptOnnxExport.Tokens] = tokens };
        for (int layer = 0; layer < 2; layer++)
        {
            inputs[GptOnnxExport.PastKey(layer)] = zeros(1, 4, 0, 8);
            inputs[GptOnnxExport.PastValue(layer)] = zeros(1, 4, 0, 8);
        }
        var outputs = session.Run(inputs);
        Assert.True(Difference.MaxAbs(outputs[GptOnnxExport.Logits], model.forward(tokens)) < 1e-4);
        Assert.Equal(new long[] { 1, 4, 9, 8 }, outputs[GptOnnxExport.PresentKey(1)].shape);
    }

    [Fact]
    public void Cached_decoding_in_onnx_runtime_equals_full_recomputation_and_TorchSharp_greedy_tokens()
    {
        var model = RandomGpt();
        long[] prompt = { 3, 1, 4, 1, 5 };
        using var noGrad = no_grad();
        using var decoder = new OnnxGptDecoder(GptOnnxExport.Build(model, withCache: true).ToBytes(), model.Config, threads: 1);
        // Step by step: the cached logits against the full forward pass over the sequence so far.
        var sequence = prompt.ToList();
        IReadOnlyList<long> input = prompt;
        for (int step = 0; step < 12; step++)
        {
            var cached = tensor(decoder.Forward(input));
            var full = model.forward(tensor(sequence.ToArray()).unsqueeze(0)).select(1, sequence.Count - 1).squeeze(0);
            Assert.True(Difference.MaxAbs(cached, full) < 1e-4, $"step {step}");
            long next = full.argmax().item<long>();
            sequence.Add(next);
            input = new[] { next };
        }
        Assert.Equal(sequence.Count - 1, decoder.CachedPositions);
        Assert.Equal(2L * 2 * 4 * 8 * (sequence.Count - 1) * 4, decoder.CacheBytes);
        var greedy = decoder.Greedy(prompt, 20);
        var torchGreedy = new CachedGptDecoder(model).Generate(tensor(prompt).unsqueeze(0), 20, CachedGptDecoder.Greedy)[0].data<long>().ToArray();
        Assert.Equal(torchGreedy, greedy);
    }

    [Fact]
    public void A_graph_counts_its_nodes_operators_and_initializers()
    {
        var graph = new OnnxGraph("tiny");
        var x = graph.Input("x", ScalarType.Float32, "batch", "3");
        var w = graph.Initializer("w", ones(3, 2));
        graph.Node("Relu", new[] { graph.Node("MatMul", new[] { x, w }, "xw") }, "y");
        graph.Output("y", ScalarType.Float32, "batch", "2");
        using var session = new OnnxSession(graph.ToBytes(), threads: 1);
        var y = session.Run(new Dictionary<string, Tensor> { ["x"] = tensor(new float[] { 1, -2, 0.5f, -1, -1, -1 }, new long[] { 2, 3 }) })["y"];
        Assert.Equal(new float[] { 0, 0, 0, 0 }, y.data<float>().ToArray());
        Assert.Equal(2, graph.NodeCount);
        Assert.Equal(1, graph.InitializerCount);
        Assert.Equal(6, graph.FloatInitializerElements);
        Assert.Equal(new[] { "MatMul", "Relu" }, graph.OperatorCounts.Keys);
    }
}
