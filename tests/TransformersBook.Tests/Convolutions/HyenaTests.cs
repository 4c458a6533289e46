using TorchSharp;
using TransformersBook.Convolutions;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

[Collection(ProcessState.Name)]
public class HyenaTests
{
    public HyenaTests() => TestSetup.Initialize();

    [Fact]
    public void The_fft_long_convolution_equals_the_direct_causal_sum()
    {
        manual_seed(3);
        var u = randn(2, 4, 37);
        var h = randn(4, 37);
        var byFft = LongConvolution.Apply(u, h);
        var direct = LongConvolution.Direct(u, h);
        Assert.True((byFft - direct).abs().max().item<float>() < 1e-4f);
        // A hand case: h = (1, 2), u = (1, 0, 3): y = (1, 2, 3).
        var y = LongConvolution.Apply(tensor(new float[] { 1, 0, 3 }).view(1, 3), tensor(new float[] { 1, 2, 0 }).view(1, 3));
        Assert.Equal(new[] { 1f, 2f, 3f }, y.data<float>().ToArray().Select(v => MathF.Round(v, 4)).ToArray());
    }

    [Fact]
    public void Hyena_is_causal_and_keeps_the_shape()
    {
        manual_seed(5);
        using var hyena = new HyenaOperator(width: 8, order: 2, filterWidth: 16);
        var x = randn(3, 20, 8);
        var y = hyena.forward(x);
        Assert.Equal(new long[] { 3, 20, 8 }, y.shape);
        var changed = x.clone();
        changed[.., 12..] = randn(3, 8, 8);
        var y2 = hyena.forward(changed);
        Assert.True((y2.narrow(1, 0, 12) - y.narrow(1, 0, 12)).abs().max().item<float>() < 1e-5f);
        Assert.True((y2.narrow(1, 12, 8) - y.narrow(1, 12, 8)).abs().max().item<float>() > 1e-3f);
    }

    [Fact]
    public void Filters_are_as_long_as_the_sequence_and_their_windows_decay()
    {
        manual_seed(7);
        using var hyena = new HyenaOperator(width: 4, order: 2);
        var filters = hyena.Filters(64);
        Assert.Equal(new long[] { 2, 4, 64 }, filters.shape);
        // The fastest window (first channel) has shrunk the filter far more at t = 63 than the slowest (last).
        var fast = filters[0, 0].abs();
        var slow = filters[1, 3].abs();
        Assert.True(fast.narrow(0, 48, 16).mean().item<float>() < 0.05f * (fast.narrow(0, 0, 4).mean().item<float>() + 1e-6f));
        Assert.True(slow.narrow(0, 48, 16).mean().item<float>() > 1e-4f);
    }

    [Fact]
    public void Gradients_reach_the_filter_network()
    {
        manual_seed(11);
        using var hyena = new HyenaOperator(width: 6, order: 2);
        hyena.forward(randn(2, 10, 6)).pow(2).mean().backward();
        Assert.All(hyena.parameters(), p => Assert.True(p.grad is not null && p.grad.abs().sum().item<float>() > 0, "a parameter got no gradient"));
    }
}
