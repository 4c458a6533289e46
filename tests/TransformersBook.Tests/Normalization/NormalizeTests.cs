using TransformersBook.Normalization;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

[Collection(ProcessState.Name)]
public class NormalizeTests
{
    public NormalizeTests() => TestSetup.Initialize();

    [Fact]
    public void Layer_norm_from_scratch_equals_torchs()
    {
        manual_seed(7);
        using var scope = NewDisposeScope();
        var x = randn(4, 9, 48) * 10 + 5;
        var gamma = randn(48);
        var beta = randn(48);
        var ours = Normalize.LayerNorm(x, gamma, beta, 1e-5);
        var torchs = nn.functional.layer_norm(x, new long[] { 48 }, gamma, beta, 1e-5);
        Assert.True(ours.allclose(torchs, rtol: 1e-4, atol: 1e-5));
        // Without γ and β each row has mean 0 and (biased) variance 1.
        var plain = Normalize.LayerNorm(x);
        Assert.True(plain.mean(new long[] { -1 }).abs().max().item<float>() < 1e-5);
        Assert.True(plain.var(-1, unbiased: false).sub(1).abs().max().item<float>() < 1e-3);
    }

    [Fact]
    public void Layer_norm_equals_the_nn_module_with_its_parameters()
    {
        manual_seed(8);
        using var module = nn.LayerNorm(32);
        using (no_grad())
        {
            module.weight!.normal_();
            module.bias!.normal_();
        }
        using var x = randn(5, 32);
        using var expected = module.forward(x);
        using var actual = Normalize.LayerNorm(x, module.weight, module.bias);
        Assert.True(actual.allclose(expected, rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void Rms_norm_is_layer_norm_without_centring_on_zero_mean_rows()
    {
        manual_seed(9);
        using var scope = NewDisposeScope();
        var x = randn(6, 40);
        x = x - x.mean(new long[] { -1 }, keepdim: true);
        Assert.True(Normalize.RmsNorm(x, epsilon: 1e-5).allclose(Normalize.LayerNorm(x, epsilon: 1e-5), rtol: 1e-4, atol: 1e-5));
    }
}
