using TorchSharp;
using TransformersBook.Models;
using Xunit;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>The one sampler every Generate uses: top-k keeps only the k largest scores, temperature must be positive.</summary>
[Collection(ProcessState.Name)]
public class TokenSamplerTests
{
    public TokenSamplerTests() => TestSetup.Initialize();

    [Fact]
    public void Top_1_is_the_argmax_of_every_row()
    {
        var logits = tensor(new float[,] { { 0.1f, 2.0f, -1.0f, 1.9f }, { 3.0f, 0.0f, 0.0f, 2.9f } });
        var drawn = TokenSampler.Sample(logits, temperature: 1.0, topK: 1, generator: new Generator(seed: 1));
        Assert.Equal(new long[] { 1, 0 }, drawn.squeeze(1).data<long>().ToArray());
    }

    [Fact]
    public void Top_2_draws_only_the_two_largest_and_both_of_them()
    {
        var logits = tensor(new float[] { 0.5f, 0.4f, 0.0f, -0.1f, 0.3f }).unsqueeze(0).expand(4000, 5);
        var drawn = TokenSampler.Sample(logits, temperature: 1.0, topK: 2, generator: new Generator(seed: 2)).data<long>().ToArray();
        Assert.All(drawn, id => Assert.Contains(id, new long[] { 0, 1 }));
        // softmax over {0.5, 0.4}: P(0) = 1 / (1 + e^-0.1) = 0.525.
        Assert.InRange(drawn.Count(id => id == 0) / 4000.0, 0.49, 0.56);
    }

    [Fact]
    public void A_temperature_that_is_not_positive_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenSampler.Sample(zeros(1, 3), temperature: 0));
}
