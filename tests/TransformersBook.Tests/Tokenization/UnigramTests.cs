using TransformersBook.Tokenization;

namespace TransformersBook.Tests;

public class UnigramTests
{
    static UnigramTokenizer Hand(double abProbability) => new(new (string, double)[]
    {
        (UnigramTokenizer.UnknownToken, 0), ("▁a", Math.Log(0.5)), ("b", Math.Log(0.25)), ("▁ab", Math.Log(abProbability)),
        ("▁", Math.Log(0.05)), ("a", Math.Log(0.05)),
    });

    [Fact]
    public void ViterbiPicksTheMostProbableSegmentation()
    {
        // ▁ab alone: log 0.2 > ▁a·b: log 0.125, so one piece; with p(▁ab) = 0.1 the two pieces win.
        var (ids, logp) = Hand(0.2).Segment("▁ab");
        Assert.Equal(new[] { 3 }, ids);
        Assert.Equal(Math.Log(0.2), logp, 12);
        (ids, logp) = Hand(0.1).Segment("▁ab");
        Assert.Equal(new[] { 1, 2 }, ids);
        Assert.Equal(Math.Log(0.125), logp, 12);
    }

    [Fact]
    public void UnknownCharactersBecomeUnk()
    {
        var tokenizer = Hand(0.2);
        Assert.Equal(new[] { 4, 0 }, tokenizer.Encode("z"));
        // ▁abb: ▁ab·b = 0.2 · 0.25 = 0.05 beats ▁a·b·b = 0.5 · 0.25 · 0.25 = 0.03125.
        Assert.Equal(new[] { "▁ab", "▁ab", "b" }, tokenizer.Tokenize("ab  abb"));
        Assert.Equal("ab abb", tokenizer.Decode(tokenizer.Encode("ab  abb")));
    }

    [Fact]
    public void ExpectedCountsByForwardBackward()
    {
        // "ab" with a, b, ab equally likely (1/3): paths ab (1/3) and a·b (1/9), Z = 4/9,
        // so E[ab] = (1/3)/(4/9) = 0.75 and E[a] = E[b] = (1/9)/(4/9) = 0.25.
        var scores = new Dictionary<string, double> { ["a"] = 1, ["b"] = 1, ["ab"] = 1 };
        var counts = UnigramTrainer.ExpectationMaximization(scores, new Dictionary<string, long> { ["ab"] = 1 });
        Assert.Equal(0.75, counts["ab"], 12);
        Assert.Equal(0.25, counts["a"], 12);
        Assert.Equal(0.25, counts["b"], 12);
    }

    [Fact]
    public void LogAddIsStable()
    {
        Assert.Equal(Math.Log(3), UnigramTrainer.LogAdd(Math.Log(1), Math.Log(2)), 12);
        Assert.Equal(-1000 + Math.Log(2), UnigramTrainer.LogAdd(-1000, -1000), 9);
        Assert.Equal(5, UnigramTrainer.LogAdd(double.NegativeInfinity, 5));
    }

    [Fact]
    public void TrainingReachesTheSizeKeepsCharactersAndRoundTrips()
    {
        var text = string.Concat(Enumerable.Repeat("the cat sat on the mat with the other cats and the hat ", 30)) + "quiz";
        var words = UnigramTrainer.CountWords(new[] { text });
        var tokenizer = UnigramTrainer.Train(words, vocabularySize: 30, seedSize: 200);
        Assert.Equal(30, tokenizer.VocabularySize);
        var pieces = tokenizer.Pieces.Select(p => p.Piece).ToHashSet();
        foreach (var c in text.Replace(" ", "") + "▁") Assert.Contains(c.ToString(), pieces);
        Assert.Contains("▁the", pieces);
        Assert.Equal(text.Trim(), tokenizer.Decode(tokenizer.Encode(text)));
        Assert.DoesNotContain(0, tokenizer.Encode(text));
        Assert.True(tokenizer.Encode(text).Count < text.Length / 2);
    }
}
