using TransformersBook.Evaluation;
using Xunit;

namespace TransformersBook.Tests;

/// <summary>BLEU against sacreBLEU's published values (its README example and test/test_bleu.py).</summary>
public class BleuTests
{
    static readonly string[] Hypotheses = { "The dog bit the man.", "It wasn't surprising.", "The man had just bitten him." };
    static readonly IReadOnlyList<string?>[] References =
    {
        new[] { "The dog bit the man.", "It was not unexpected.", "The man bit him first." },
        new[] { "The dog had bit the man.", "No one was surprised.", "The man had bitten the dog." },
    };
    const double Epsilon = 1e-8;

    static IReadOnlyList<string?>[] One(params string[] references) => new IReadOnlyList<string?>[] { references };

    [Fact]
    public void ReadmeExampleWith13aAndExpSmoothing()
    {
        var score = Bleu.Corpus(Hypotheses, References);
        Assert.Equal(48.530827, score.Score, Epsilon * 100);
        Assert.Equal(17, score.HypothesisLength);
        Assert.Equal(18, score.ReferenceLength);
        Assert.Equal(new[] { 82.4, 50.0, 45.5, 37.5 }, score.Precisions.Select(p => Math.Round(p, 1)));
        Assert.Equal(0.943, score.BrevityPenalty, 0.0005);
    }

    [Fact]
    public void ReadmeExampleWithoutTokenizationOrSmoothing()
    {
        Assert.Equal(49.1919566, Bleu.Corpus(Hypotheses, References, tokenize: false).Score, 1e-6);
        Assert.Equal(48.530827, Bleu.Corpus(Hypotheses, References, BleuSmoothing.None).Score, 1e-6);
        Assert.Equal(0.0, Bleu.Corpus(new[] { "", "", "" }, References).Score);
    }

    [Theory]
    [InlineData("this is a test", "this is a test", 1.0)]
    [InlineData("this is a fest", "this is a test", 0.223606797749979)]
    [InlineData("test", "a test", 0.3678794411714425)]
    [InlineData("a test", "a test", 1.0)]
    [InlineData("a little test", "a test", 0.03218297948685433)]
    public void RawCorpusBleuWithFloorSmoothingAndEffectiveOrder(string hypothesis, string reference, double expected)
    {
        var score = Bleu.Corpus(new[] { hypothesis }, One(reference), BleuSmoothing.Floor, 0.01, tokenize: false, effectiveOrder: true);
        Assert.Equal(expected, score.Score / 100, Epsilon);
    }

    [Fact]
    public void NoMatchingWordsScoresZero()
    {
        var score = Bleu.Corpus(new[] { "this is a test", "another test" }, new IReadOnlyList<string?>[] { new[] { "ref1", "ref2" } },
            BleuSmoothing.Floor, 0.01, tokenize: false, effectiveOrder: true);
        Assert.Equal(0.0, score.Score);
    }

    [Fact]
    public void StatisticsAndFloorOffset()
    {
        var hypothesis = new[] { "am I am a character sequence" };
        var reference = One("I am a symbol string sequence a a");
        var withoutOffset = Bleu.Corpus(hypothesis, reference, BleuSmoothing.Floor, 0.0, tokenize: false, effectiveOrder: true);
        Assert.Equal(new[] { 4, 2, 1, 0 }, withoutOffset.Matches);
        Assert.Equal(new[] { 6, 5, 4, 3 }, withoutOffset.Totals);
        Assert.Equal(0.0, withoutOffset.Score / 100, Epsilon);
        var withOffset = Bleu.Corpus(hypothesis, reference, BleuSmoothing.Floor, 0.1, tokenize: false, effectiveOrder: true);
        Assert.Equal(0.1555722182, withOffset.Score / 100, Epsilon);
    }

    [Fact]
    public void ScoreFromStatistics()
    {
        var score = Bleu.FromStatistics(new[] { 9, 7, 5, 3 }, new[] { 10, 8, 6, 4 }, 11, 11);
        Assert.Equal(0.8375922397, score.Score / 100, Epsilon);
    }

    [Theory]
    [InlineData("It wasn't surprising.", "It wasn't surprising .")]
    [InlineData("The price is 3.50, or 1,000 in total.", "The price is 3.50 , or 1,000 in total .")]
    [InlineData("pages 10-20 (a \"note\")", "pages 10 - 20 ( a \" note \" )")]
    [InlineData("A &amp; B", "A & B")]
    public void Tokenizer13aSplitsPunctuation(string line, string expected) => Assert.Equal(expected, Tokenizer13a.Tokenize(line));

    [Fact]
    public void ClosestReferenceLengthPrefersTheShorterOnTies() => Assert.Equal(4, Bleu.ClosestReferenceLength(5, new[] { 6, 4, 9 }));
}
