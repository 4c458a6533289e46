using TransformersBook.Models;
using Xunit;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>The token classifier: one linear layer on every position of the encoder's output.</summary>
[Collection(ProcessState.Name)]
public class TextEncoderTokenClassifierTests
{
    public TextEncoderTokenClassifierTests() => TestSetup.Initialize();

    [Fact]
    public void Logits_at_every_position_are_the_head_applied_to_the_encoder_output()
    {
        manual_seed(3);
        var model = new TextEncoderTokenClassifier(new TextEncoderConfig(20, 8, Layers: 1, Heads: 2, Width: 16, FeedForwardWidth: 32), classes: 5);
        model.eval();
        var tokens = tensor(new long[] { 2, 7, 9, 4, 0, 0, 2, 3, 3, 3, 3, 3 }, new long[] { 2, 6 });
        using var noGrad = no_grad();
        var logits = model.forward(tokens);
        Assert.Equal(new long[] { 2, 6, 5 }, logits.shape);
        var expected = model.Encoder.Encode(tokens).matmul(model.Head.weight!.t()) + model.Head.bias!;
        Assert.True(logits.allclose(expected, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void Padding_does_not_change_the_logits_of_real_tokens()
    {
        manual_seed(4);
        var model = new TextEncoderTokenClassifier(new TextEncoderConfig(20, 8, Layers: 2, Heads: 2, Width: 16, FeedForwardWidth: 32), classes: 3);
        model.eval();
        using var noGrad = no_grad();
        var shortLogits = model.forward(tensor(new long[] { 2, 7, 9 }, new long[] { 1, 3 }));
        var paddedLogits = model.forward(tensor(new long[] { 2, 7, 9, 0, 0 }, new long[] { 1, 5 })).narrow(1, 0, 3);
        Assert.True(shortLogits.allclose(paddedLogits, rtol: 1e-5, atol: 1e-5));
    }
}
