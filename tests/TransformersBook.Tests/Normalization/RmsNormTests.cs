using TransformersBook.Normalization;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

[Collection(ProcessState.Name)]
public class RmsNormTests
{
    public RmsNormTests() => TestSetup.Initialize();

    [Fact]
    public void Matches_a_hand_computation()
    {
        // x = (3, 4): mean(x²) = 12.5, rms = 3.5355…, so y = (0.8485…, 1.1314…) · γ.
        using var norm = new RmsNorm(2, epsilon: 0);
        using (no_grad()) norm.Weight.copy_(tensor(new float[] { 1f, 2f }));
        using var x = tensor(new float[] { 3f, 4f }).view(1, 2);
        using var y = norm.forward(x);
        double rms = Math.Sqrt((9 + 16) / 2.0);
        Assert.Equal(3 / rms, y[0, 0].item<float>(), 5);
        Assert.Equal(2 * 4 / rms, y[0, 1].item<float>(), 5);
    }

    [Fact]
    public void Has_one_gain_per_feature_and_unit_rms_output()
    {
        manual_seed(6);
        using var norm = new RmsNorm(64);
        Assert.Equal(64, norm.parameters().Sum(p => p.numel()));
        using var x = randn(3, 7, 64) * 50 + 3;
        using var y = norm.forward(x);
        using var rms = y.square().mean(new long[] { -1 }).sqrt();
        Assert.True(rms.allclose(ones_like(rms), rtol: 1e-4, atol: 1e-4));
    }

    [Fact]
    public void Epsilon_is_added_inside_the_square_root()
    {
        // x = (0.003, 0.004), ε = 1e-4: mean(x²) = 1.25e-5, so y = x / sqrt(1.25e-5 + 1e-4) = x / 0.010607.
        // ε outside the root, x / (sqrt(1.25e-5) + 1e-4) = x / 0.0036355, would be about three times larger.
        using var norm = new RmsNorm(2, epsilon: 1e-4);
        using var x = tensor(new float[] { 0.003f, 0.004f }).view(1, 2);
        using var y = norm.forward(x);
        double inside = Math.Sqrt(1.25e-5 + 1e-4), outside = Math.Sqrt(1.25e-5) + 1e-4;
        Assert.Equal(0.003 / inside, y[0, 0].item<float>(), 4);
        Assert.Equal(0.004 / inside, y[0, 1].item<float>(), 4);
        Assert.True(Math.Abs(0.003 / outside - y[0, 0].item<float>()) > 0.1);
    }
}
