using TorchSharp;
using TransformersBook.Evaluation;
using Xunit;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>Sliding-window perplexity: which targets each window scores, and the value under models with known answers.</summary>
public class PerplexityTests
{
    public PerplexityTests() => TestSetup.Initialize();

    [Theory]
    [InlineData(10, 4, 4)]
    [InlineData(10, 4, 1)]
    [InlineData(10, 4, 3)]
    [InlineData(3, 8, 2)]
    [InlineData(101, 16, 5)]
    public void EveryTargetIsScoredOnce(int length, int window, int stride)
    {
        var scored = new List<int>();
        int w = Math.Min(window, length - 1);
        foreach (var (start, first) in SlidingWindowPerplexity.Windows(length, window, stride))
            for (int t = first; t < w; t++) scored.Add(start + t + 1);
        Assert.Equal(Enumerable.Range(1, length - 1), scored);
    }

    [Fact]
    public void NonOverlappingAndSlidingWindowsOfAHandExample()
    {
        // 9 tokens, W = 4: stride 4 → windows at 0 and 4 (targets 1–4, 5–8); stride 2 → windows 0, 2, 4 scoring 1–4, 5–6, 7–8.
        Assert.Equal(new[] { (0, 0), (4, 0) }, SlidingWindowPerplexity.Windows(9, 4, 4));
        Assert.Equal(new[] { (0, 0), (2, 2), (4, 2) }, SlidingWindowPerplexity.Windows(9, 4, 2));
    }

    [Fact]
    public void UniformModelHasPerplexityV()
    {
        const int vocabulary = 7;
        var tokens = Enumerable.Range(0, 50).Select(i => (long)(i * 3 % vocabulary)).ToArray();
        var result = SlidingWindowPerplexity.Evaluate(x => zeros(x.shape[0], x.shape[1], vocabulary), tokens, window: 8, stride: 3);
        Assert.Equal(49, result.ScoredTokens);
        Assert.Equal(vocabulary, result.Perplexity, 4);
    }

    [Fact]
    public void AModelThatNeedsContextGainsFromASmallStride()
    {
        // The "model" knows the next token only when the token two places back is in its window: sliding windows
        // give (almost) every token that context, non-overlapping windows do not give it to the first two of each window.
        const int vocabulary = 5;
        var tokens = Enumerable.Range(0, 64).Select(i => (long)(i % vocabulary)).ToArray();
        Tensor Model(Tensor x)
        {
            var logits = zeros(x.shape[0], x.shape[1], vocabulary);
            for (int b = 0; b < x.shape[0]; b++)
                for (int t = 1; t < x.shape[1]; t++)
                    logits[b, t, (x[b, t - 1].item<long>() + 2) % vocabulary] = 10f;
            return logits;
        }
        var separate = SlidingWindowPerplexity.Evaluate(Model, tokens, window: 8, stride: 8);
        var sliding = SlidingWindowPerplexity.Evaluate(Model, tokens, window: 8, stride: 2);
        Assert.True(sliding.Perplexity < separate.Perplexity);
        Assert.True(sliding.MeanContext > separate.MeanContext);
    }
}
