using TransformersBook.Models;
using TransformersBook.Quantization;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

[Collection(ProcessState.Name)]
public class GptqTests
{
    public GptqTests() => TestSetup.Initialize();

    [Fact]
    public void With_a_diagonal_hessian_gptq_is_round_to_nearest()
    {
        manual_seed(4);
        var w = randn(6, 16);
        var h = diag(rand(16) + 0.5).to_type(ScalarType.Float64);
        foreach (int? group in new int?[] { null, 4 })
        {
            var gptq = Gptq.Quantize(w, h, bits: 3, groupSize: group);
            var rtn = GroupQuantizer.RoundTrip(w, 3, group);
            Assert.Equal(0.0, (gptq - rtn).abs().max().item<float>(), 5);
        }
    }

    [Fact]
    public void On_correlated_inputs_gptq_has_a_smaller_output_error_than_round_to_nearest()
    {
        manual_seed(9);
        var mixing = randn(32, 32);
        var x = randn(512, 32).matmul(mixing) + 0.1 * randn(512, 32);       // strongly correlated features
        var w = randn(24, 32);
        var h = Gptq.Hessian(x);
        Assert.Equal(0.0, (h - 2 * x.t().matmul(x).to_type(ScalarType.Float64) / 512).abs().max().item<double>() / h.abs().max().item<double>(), 5);
        foreach (int bits in new[] { 3, 4 })
        {
            double gptq = Gptq.OutputError(w, Gptq.Quantize(w, h, bits), x);
            double rtn = Gptq.OutputError(w, GroupQuantizer.RoundTrip(w, bits, null), x);
            Assert.True(gptq < rtn, $"{bits} bits: GPTQ {gptq}, RTN {rtn}");
        }
    }

    [Fact]
    public void The_gpt_helpers_find_four_layers_per_block_and_quantize_in_place()
    {
        manual_seed(1);
        var model = new Gpt(new GptConfig(12, 8, Layers: 2, Heads: 2, Width: 16));
        model.eval();
        var tokens = randint(0, 12, new long[] { 3, 8 });
        var inputs = GptQuantization.LinearInputs(model, tokens, 1);
        Assert.Equal(new long[] { 24, 16 }, inputs[0].shape);
        Assert.Equal(new long[] { 24, 64 }, inputs[3].shape);
        // The captured inputs reproduce the block: qkv of its input equals the layer's own output on it.
        var layers = GptQuantization.Linears(model, 1);
        Assert.Equal(4, layers.Count);
        Assert.Equal(8, GptQuantization.AllLinears(model).Count());
        var before = model.forward(tokens).detach().clone();
        GptQuantization.ApplyGptq(model, tokens, bits: 8, groupSize: null);
        var after = model.forward(tokens).detach();
        double change = (after - before).abs().max().item<float>();
        Assert.True(change > 0 && change < 0.05, $"8-bit GPTQ changed the logits by {change}");
    }
}
