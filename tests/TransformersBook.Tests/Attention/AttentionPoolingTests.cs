using TorchSharp;
using TransformersBook.Attention;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>Nadaraya–Watson regression as attention: hand-computed weights, and its two limits.</summary>
public class AttentionPoolingTests
{
    public AttentionPoolingTests() => TestSetup.Initialize();

    [Fact]
    public void Weights_are_normalised_gaussian_kernels()
    {
        using var scope = NewDisposeScope();
        var keys = tensor(new float[] { 0f, 1f, 3f });
        var values = tensor(new float[] { 10f, 20f, 40f });
        var (predictions, weights) = AttentionPooling.NadarayaWatson(tensor(new float[] { 1f }), keys, values, bandwidth: 1.0);
        // K(d) = exp(−d²/2) at distances 1, 0, 2.
        double[] k = { Math.Exp(-0.5), 1.0, Math.Exp(-2.0) };
        double sum = k.Sum();
        for (int i = 0; i < 3; i++) Assert.Equal(k[i] / sum, weights[0, i].item<float>(), 6);
        Assert.Equal((10 * k[0] + 20 * k[1] + 40 * k[2]) / sum, predictions[0].item<float>(), 4);
    }

    [Fact]
    public void A_narrow_kernel_picks_the_nearest_key_and_a_wide_one_averages_all()
    {
        using var scope = NewDisposeScope();
        var keys = tensor(new float[] { 0f, 1f, 3f });
        var values = tensor(new float[] { 10f, 20f, 40f });
        var queries = tensor(new float[] { 0.1f, 2.9f });
        var (nearest, _) = AttentionPooling.NadarayaWatson(queries, keys, values, bandwidth: 0.05);
        Assert.Equal(new[] { 10f, 40f }, nearest.data<float>().ToArray());
        var (average, _) = AttentionPooling.NadarayaWatson(queries, keys, values, bandwidth: 1e4);
        Assert.Equal(70f / 3, average[0].item<float>(), 3);
        Assert.Equal(70f / 3, average[1].item<float>(), 3);
    }

    [Fact]
    public void A_bandwidth_that_is_not_positive_is_refused()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentOutOfRangeException>(() => AttentionPooling.NadarayaWatson(zeros(1), zeros(2), zeros(2), 0));
    }
}
