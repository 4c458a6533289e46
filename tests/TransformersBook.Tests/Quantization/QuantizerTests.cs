using TransformersBook.Quantization;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

[Collection(ProcessState.Name)]
public class QuantizerTests
{
    public QuantizerTests() => TestSetup.Initialize();

    static float[] Values(Tensor t) => t.to_type(ScalarType.Float32).contiguous().data<float>().ToArray();

    [Fact]
    public void Absmax_int8_of_a_2x4_matrix_matches_the_hand_computation()
    {
        var w = tensor(new float[] { 1.27f, -0.5f, 0.1f, 0f, 2.54f, 0.02f, -1f, 0.5f }).view(2, 4);
        // Per tensor: s = 2.54 / 127 = 0.02; codes = round(w / 0.02).
        var perTensor = AbsmaxQuantizer.Quantize(w, 8);
        Assert.Equal(0.02f, perTensor.Scale.item<float>(), 6);
        Assert.Equal(new float[] { 64, -25, 5, 0, 127, 1, -50, 25 }, Values(perTensor.Codes));
        // Per row: s = (0.01, 0.02); the first row's codes double.
        var perRow = AbsmaxQuantizer.Quantize(w, 8, perChannel: true);
        Assert.Equal(new float[] { 0.01f, 0.02f }, Values(perRow.Scale).Select(v => MathF.Round(v, 6)).ToArray());
        Assert.Equal(new float[] { 127, -50, 10, 0, 127, 1, -50, 25 }, Values(perRow.Codes));
        // Round trip: 1.27 per tensor becomes 64 · 0.02 = 1.28.
        Assert.Equal(1.28f, Values(perTensor.Dequantize())[0], 5);
        Assert.Equal(1.27f, Values(perRow.Dequantize())[0], 5);
    }

    [Fact]
    public void Zero_point_uses_every_code_of_a_skewed_range()
    {
        // Range [−1, 3] at 2 bits: s = 4 / 3, z = round(0.75) = 1, codes of (−1, 0, 1, 3) = (0, 1, 2, 3).
        var x = tensor(new float[] { -1f, 0f, 1f, 3f });
        var q = ZeroPointQuantizer.Quantize(x, bits: 2);
        Assert.Equal(4f / 3f, q.Scale.item<float>(), 5);
        Assert.Equal(1f, q.ZeroPoint.item<float>());
        Assert.Equal(new float[] { 0, 1, 2, 3 }, Values(q.Codes));
        Assert.Equal(new[] { -1.3333f, 0f, 1.3333f, 2.6667f }, Values(q.Dequantize()).Select(v => MathF.Round(v, 4)).ToArray());
        // A positive-only range is widened to contain 0: 0 and the maximum stay exact, 2 moves by less than s / 2 = 2 / 255.
        var positive = Values(ZeroPointQuantizer.RoundTrip(tensor(new float[] { 0f, 2f, 4f }), bits: 8));
        Assert.Equal(0f, positive[0], 6);
        Assert.Equal(4f, positive[2], 5);
        Assert.True(MathF.Abs(positive[1] - 2f) <= 2f / 255f);
    }

    [Fact]
    public void Smaller_groups_give_a_smaller_error_and_one_group_per_row_is_per_channel()
    {
        manual_seed(11);
        var w = randn(16, 64) * linspace(0.1, 3.0, 64);          // the columns' scales differ
        double Error(int? g) => (GroupQuantizer.RoundTrip(w, 4, g) - w).pow(2).mean().item<float>();
        Assert.True(Error(8) < Error(32));
        Assert.True(Error(32) < Error(null));
        Assert.Equal(0.0, (GroupQuantizer.RoundTrip(w, 4, 64) - ZeroPointQuantizer.RoundTrip(w, 4, perChannel: true)).abs().max().item<float>(), 6);
        Assert.Equal(4.25, GroupQuantizer.BitsPerWeight(4, 128));
    }

    [Fact]
    public void The_straight_through_gradient_is_the_identity_inside_the_clip_range()
    {
        var x = tensor(new float[] { -3f, -0.26f, 0.1f, 0.49f, 2.5f }, requires_grad: true);
        // Scale 0.25 at 3 bits: codes −3 … 3, clip range ±0.75.
        var y = FakeQuantize.Symmetric(x, 0.25, 3);
        Assert.Equal(new float[] { -0.75f, -0.25f, 0f, 0.5f, 0.75f }, Values(y.detach()));
        y.sum().backward();
        Assert.Equal(new float[] { 0, 1, 1, 1, 0 }, Values(x.grad!));
        var w = randn(4, 8, requires_grad: true);
        (FakeQuantize.Weights(w, 4, null) * 3).sum().backward();
        Assert.Equal(0.0, (w.grad! - 3).abs().max().item<float>(), 6);
    }

    [Fact]
    public void The_outlier_decomposition_keeps_outlier_features_exact()
    {
        manual_seed(2);
        var x = randn(32, 16);
        x[.., 3] *= 60;                                   // one outlier feature
        var w = randn(8, 16) * 0.1;
        var exact = x.matmul(w.t());
        Assert.Equal(new[] { false, false, false, true }, Values(OutlierDecomposition.OutlierFeatures(x, 6.0).to_type(ScalarType.Float32)).Take(4).Select(v => v > 0).ToArray());
        double plain = (OutlierDecomposition.Int8MatMul(x, w) - exact).pow(2).mean().item<float>();
        double mixed = (OutlierDecomposition.MatMul(x, w, 6.0) - exact).pow(2).mean().item<float>();
        Assert.True(mixed < plain / 10, $"mixed {mixed}, plain {plain}");
        // Without outliers the decomposition is plain int8.
        var calm = randn(32, 16);
        Assert.Equal(0.0, (OutlierDecomposition.MatMul(calm, w, 100.0) - OutlierDecomposition.Int8MatMul(calm, w)).abs().max().item<float>(), 6);
    }
}
