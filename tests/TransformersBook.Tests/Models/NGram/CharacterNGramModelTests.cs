using TransformersBook.Models;
using Xunit;

namespace TransformersBook.Tests;

/// <summary>The Witten–Bell character n-gram model on tiny texts counted by hand.</summary>
public class CharacterNGramModelTests
{
    [Fact]
    public void Every_conditional_distribution_sums_to_one()
    {
        long[] text = { 0, 1, 2, 0, 1, 1, 0, 2, 2, 1, 0, 1 };
        var model = new CharacterNGramModel(text, order: 3, vocabularySize: 4);
        foreach (var history in new[] { new long[0], new long[] { 1 }, new long[] { 0, 1 }, new long[] { 3, 3 }, new long[] { 2, 0 } })
            Assert.Equal(1.0, Enumerable.Range(0, 4).Sum(c => model.Probability(history, c)), 12);
    }

    [Fact]
    public void Bigram_probabilities_match_the_hand_computed_interpolation()
    {
        // Text "abab" as 0101, V = 3 (c never seen). Unigram add-one: a = (2+1)/(4+3) = 3/7, b = 3/7, c = 1/7.
        // After "a": N(a) = 2 continuations, both b, so T(a) = 1: P(b|a) = (2 + 1·3/7)/(2 + 1) = 17/21.
        long[] text = { 0, 1, 0, 1 };
        var model = new CharacterNGramModel(text, order: 2, vocabularySize: 3);
        Assert.Equal(3 / 7.0, model.Probability(System.Array.Empty<long>(), 0), 14);
        Assert.Equal(17 / 21.0, model.Probability(new long[] { 0 }, 1), 14);
        Assert.Equal((0 + 1 / 7.0) / 3, model.Probability(new long[] { 0 }, 2), 14);
        // After "b": one continuation (a), T = 1.
        Assert.Equal((1 + 3 / 7.0) / 2, model.Probability(new long[] { 1 }, 0), 14);
    }

    [Fact]
    public void Cross_entropy_is_lower_on_the_training_pattern_than_on_noise()
    {
        var pattern = Enumerable.Range(0, 300).Select(i => (long)(i % 3)).ToArray();
        var model = new CharacterNGramModel(pattern, order: 3, vocabularySize: 5);
        var noise = new Random(1);
        var random = Enumerable.Range(0, 300).Select(_ => (long)noise.Next(5)).ToArray();
        Assert.True(model.CrossEntropy(pattern) < 0.1);
        Assert.True(model.CrossEntropy(random) > 1.0);
    }
}
