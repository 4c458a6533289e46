using TransformersBook.Evaluation;
using Xunit;

namespace TransformersBook.Tests;

/// <summary>Levenshtein distances counted by hand.</summary>
public class EditDistanceTests
{
    [Theory]
    [InlineData("", "", 0)]
    [InlineData("", "abc", 3)]
    [InlineData("abc", "", 3)]
    [InlineData("abc", "abc", 0)]
    [InlineData("kitten", "sitting", 3)]     // k→s, e→i, insert g
    [InlineData("flaw", "lawn", 2)]          // delete f, insert n
    [InlineData("ab", "ba", 2)]              // no transpositions in Levenshtein
    [InlineData("intention", "execution", 5)]
    public void Counts_the_fewest_edits(string a, string b, int expected) =>
        Assert.Equal(expected, EditDistance.Levenshtein(a.ToCharArray(), b.ToCharArray()));

    [Fact]
    public void Works_on_phonemes_and_token_ids()
    {
        Assert.Equal(2, EditDistance.Levenshtein("K AE T".Split(' '), "K AA T S".Split(' ')));   // substitute AE, insert S
        Assert.Equal(1, EditDistance.Levenshtein(new long[] { 5, 6, 7 }, new long[] { 5, 7 }));
    }

    [Fact]
    public void Is_symmetric_and_bounded_by_the_longer_length()
    {
        var random = new Random(3);
        for (int trial = 0; trial < 50; trial++)
        {
            var a = Enumerable.Range(0, random.Next(8)).Select(_ => random.Next(3)).ToArray();
            var b = Enumerable.Range(0, random.Next(8)).Select(_ => random.Next(3)).ToArray();
            int d = EditDistance.Levenshtein(a, b);
            Assert.Equal(d, EditDistance.Levenshtein(b, a));
            Assert.InRange(d, Math.Abs(a.Length - b.Length), Math.Max(a.Length, b.Length));
        }
    }
}
