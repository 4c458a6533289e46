using TransformersBook.Blocks;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

[Collection(ProcessState.Name)]
public class GatedFeedForwardTests
{
    public GatedFeedForwardTests() => TestSetup.Initialize();

    [Theory]
    [InlineData(192)]
    [InlineData(256)]
    [InlineData(512)]
    [InlineData(768)]
    [InlineData(1024)]
    public void Every_kind_has_the_parameters_of_a_4d_dense_ffn_within_one_percent(int width)
    {
        using var dense = new FeedForward(width, 4 * width, bias: false);
        long reference = dense.parameters().Sum(p => p.numel());
        Assert.Equal(8L * width * width, reference);
        foreach (var kind in Enum.GetValues<FeedForwardKind>())
        {
            int hidden = FeedForwardVariants.HiddenSize(kind, width);
            Assert.Equal(0, hidden % 8);
            using var module = FeedForwardVariants.Create(kind, width);
            long count = module.parameters().Sum(p => p.numel());
            Assert.Equal(FeedForwardVariants.ParameterCount(kind, width, hidden), count);
            Assert.InRange(Math.Abs(count - reference) / (double)reference, 0, 0.01);
        }
    }

    [Fact]
    public void The_hidden_size_is_eight_thirds_of_the_width_rounded()
    {
        Assert.Equal(2048, FeedForwardVariants.HiddenSize(FeedForwardKind.Gelu, 512));
        Assert.Equal(1368, FeedForwardVariants.HiddenSize(FeedForwardKind.SwiGlu, 512));  // 1365.3 → 1368
        Assert.Equal(11008, FeedForwardVariants.HiddenSize(FeedForwardKind.SwiGlu, 4096, multipleOf: 256)); // LLaMA-7B
        Assert.Equal(672, FeedForwardVariants.HiddenSize(FeedForwardKind.GeGlu, 252));
    }

    [Theory]
    [InlineData(FeedForwardKind.SwiGlu)]
    [InlineData(FeedForwardKind.GeGlu)]
    public void Computes_the_gated_unit_of_the_paper(FeedForwardKind kind)
    {
        manual_seed(10);
        using var ffn = new GatedFeedForward(16, 24, kind);
        using var scope = NewDisposeScope();
        var x = randn(2, 3, 16);
        var gate = x.matmul(ffn.Gate.weight!.t());
        var activated = kind == FeedForwardKind.SwiGlu ? gate * sigmoid(gate) : nn.functional.gelu(gate);
        var expected = (activated * x.matmul(ffn.Up.weight!.t())).matmul(ffn.OutputProjection.weight!.t());
        Assert.True(ffn.forward(x).allclose(expected, rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void Dense_kinds_apply_their_activation_and_kinds_are_not_mixed()
    {
        manual_seed(11);
        using var relu = new FeedForward(8, 32, bias: false, kind: FeedForwardKind.Relu);
        using var scope = NewDisposeScope();
        var x = randn(4, 8);
        var parameters = relu.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var expected = x.matmul(parameters["up.weight"].t()).relu().matmul(parameters["down.weight"].t());
        Assert.True(relu.forward(x).allclose(expected, rtol: 1e-4, atol: 1e-5));
        Assert.Throws<ArgumentException>(() => new FeedForward(8, 32, kind: FeedForwardKind.SwiGlu));
        Assert.Throws<ArgumentException>(() => new GatedFeedForward(8, 32, FeedForwardKind.Relu));
    }
}
