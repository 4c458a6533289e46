using TransformersBook.Evaluation;
using Xunit;

namespace TransformersBook.Tests;

/// <summary>chrF against sacreBLEU's published values (test/test_chrf.py and the README example).</summary>
public class ChrFTests
{
    const double Epsilon = 1e-4;

    [Theory]
    [InlineData("abcdefg", "hijklmnop", 0.0)]
    [InlineData("a", "b", 0.0)]
    [InlineData("", "b", 0.0)]
    [InlineData("", "reference", 0.0)]
    [InlineData("aa", "ab", 8.3333)]
    [InlineData("a", "a", 16.6667)]
    [InlineData("a b c", "a b c", 50.0)]
    [InlineData("a b c", "abc", 50.0)]
    [InlineData(" risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists .",
        "risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists .", 63.361730)]
    [InlineData(" Die    Beziehung zwischen  Obama und Netanjahu ist nicht gerade  freundlich. ",
        "Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich.", 64.1302698)]
    [InlineData("Niemand hat die Absicht, eine Mauer zu errichten", "Niemand hat die Absicht, eine Mauer zu errichten", 100.0)]
    public void Beta3WithEpsSmoothing(string hypothesis, string reference, double expected) =>
        Assert.Equal(expected, ChrF.Corpus(new[] { hypothesis }, new IReadOnlyList<string>[] { new[] { reference } }, beta: 3, epsSmoothing: true), Epsilon);

    [Fact]
    public void CorpusAddsCountsAcrossSegments() =>
        Assert.Equal(8.3333, ChrF.Corpus(new[] { "a", "b" }, new IReadOnlyList<string>[] { new[] { "a", "c" } }, beta: 3, epsSmoothing: true), Epsilon);

    [Theory]
    [InlineData("a", "a", 100.0)]
    [InlineData("", "reference", 0.0)]
    [InlineData("a b c", "a b c", 100.0)]
    [InlineData("a b c", "abc", 100.0)]
    [InlineData("", "c", 0.0)]
    [InlineData("aa", "ab", 25.0)]
    public void Beta3WithEffectiveOrder(string hypothesis, string reference, double expected) =>
        Assert.Equal(expected, ChrF.Corpus(new[] { hypothesis }, new IReadOnlyList<string>[] { new[] { reference } }, beta: 3), Epsilon);

    [Theory]
    [InlineData("Die Beziehung zwischen Obama und Netanjahu ist nicht gerade freundlich.",
        "Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich.", 67.3481606)]
    [InlineData("risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists .",
        "risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists .", 65.2414427)]
    public void KeepingWhitespace(string hypothesis, string reference, double expected) =>
        Assert.Equal(expected, ChrF.Corpus(new[] { hypothesis }, new IReadOnlyList<string>[] { new[] { reference } }, beta: 3, whitespace: true), Epsilon);

    [Theory]
    [InlineData("Co nás nejvíc trápí, protože lékaři si vybírají, kdo bude žít a kdo zemře.",
        "Nejvíce smutní jsme z toho, že musíme rozhodovat o tom, kdo bude žít a kdo zemře.", 39.14078509)]
    [InlineData("Nebo prostě nemají vybavení, které by jim pomohlo, uvedli lékaři.",
        "A někdy nemáme ani potřebný materiál, abychom jim pomohli, popsali lékaři.", 31.22557079)]
    [InlineData("Lapali po dechu, jejich životy skončily dřív, než skutečně začaly.",
        "Lapali po dechu a pak jejich život skončil - dřív, než skutečně mohl začít, připomněli.", 57.15704367)]
    public void SentenceLevelBeta2WithEpsSmoothing(string hypothesis, string reference, double expected) =>
        Assert.Equal(expected, ChrF.Sentence(hypothesis, new[] { reference }, epsSmoothing: true), Epsilon);

    [Fact]
    public void ReadmeExampleChrF2()
    {
        var hypotheses = new[] { "The dog bit the man.", "It wasn't surprising.", "The man had just bitten him." };
        var references = new IReadOnlyList<string>[]
        {
            new[] { "The dog bit the man.", "It was not unexpected.", "The man bit him first." },
            new[] { "The dog had bit the man.", "No one was surprised.", "The man had bitten the dog." },
        };
        Assert.Equal(59.73, ChrF.Corpus(hypotheses, references), 0.005);   // the README prints two decimals
    }

    [Fact]
    public void ChrFPlusPlusSplitsPunctuationFromWords() =>
        Assert.Equal(new[] { "Hello", ",", "world", "(", "again", "!" }, ChrF.WordsWithPunctuationSplit("Hello, world (again !"));
}
