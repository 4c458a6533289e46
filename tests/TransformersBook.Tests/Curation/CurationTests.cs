using TransformersBook.Curation;
using Xunit;

namespace TransformersBook.Tests;

/// <summary>Shingles, Jaccard, MinHash, LSH banding, exact deduplication, quality rules and n-gram contamination.</summary>
public class CurationTests
{
    [Fact]
    public void NormalisationDropsCaseAndPunctuation()
    {
        Assert.Equal("call me ishmael some years ago", Shingles.Normalise("  Call me Ishmael.\nSome years ago—"));
        Assert.Equal(new[] { "a b", "b c", "c d" }, Shingles.WordNgrams("A b, C d", 2).OrderBy(s => s).ToArray());
        Assert.Equal(new[] { "ab", "b ", " c" }.OrderBy(s => s, StringComparer.Ordinal), Shingles.CharacterNgrams("Ab C", 2).OrderBy(s => s, StringComparer.Ordinal));
        Assert.Single(Shingles.WordNgrams("one two", 5));
    }

    [Fact]
    public void JaccardOfSmallSetsByHand()
    {
        // {1,2,3} and {2,3,4}: 2 shared of 4 → 0.5. {1} and {2}: 0. Equal sets: 1.
        Assert.Equal(0.5, Jaccard.Of(new HashSet<int> { 1, 2, 3 }, new HashSet<int> { 2, 3, 4 }));
        Assert.Equal(0.0, Jaccard.Of(new HashSet<int> { 1 }, new HashSet<int> { 2 }));
        Assert.Equal(1.0, Jaccard.Of(new HashSet<int> { 5, 6 }, new HashSet<int> { 6, 5 }));
        // {1,2,3,4,5} and {4,5,6}: 2 of 6 → 1/3, also by the sorted merge.
        Assert.Equal(1.0 / 3, Jaccard.OfSorted(new ulong[] { 1, 2, 3, 4, 5 }, new ulong[] { 4, 5, 6 }), 12);
        Assert.Equal(1.0 / 3, Jaccard.Of(new HashSet<int> { 1, 2, 3, 4, 5 }, new HashSet<int> { 4, 5, 6 }), 12);
    }

    [Fact]
    public void ModularHashMatchesBigIntegerArithmetic()
    {
        var random = new Random(3);
        for (int t = 0; t < 1000; t++)
        {
            ulong a = (ulong)random.NextInt64(1, (long)MinHash.Prime), x = (ulong)random.NextInt64(0, (long)MinHash.Prime), b = (ulong)random.NextInt64(0, (long)MinHash.Prime);
            var expected = ((System.Numerics.BigInteger)a * x + b) % MinHash.Prime;
            Assert.Equal((ulong)expected, MinHash.HashModPrime(a, x, b));
        }
    }

    [Fact]
    public void MinHashEstimateIsUnbiasedOverSeeds()
    {
        // A = {0..59}, B = {30..89}: 30 shared of 90 → J = 1/3. Averaged over 400 seeds of k = 64 hashes the estimate's
        // standard error is √(J(1−J)/64/400) ≈ 0.0029; allow 4 of them.
        var a = Enumerable.Range(0, 60).Select(i => $"s{i}").ToArray();
        var b = Enumerable.Range(30, 60).Select(i => $"s{i}").ToArray();
        double mean = Enumerable.Range(0, 400).Average(seed =>
        {
            var minHash = new MinHash(64, seed);
            return MinHash.Estimate(minHash.Signature(a), minHash.Signature(b));
        });
        Assert.InRange(mean, 1.0 / 3 - 4 * 0.0029, 1.0 / 3 + 4 * 0.0029);
        var m = new MinHash(16, 1);
        Assert.Equal(1.0, MinHash.Estimate(m.Signature(a), m.Signature(a.AsEnumerable().Reverse())));
        Assert.Equal(0.25, MinHash.StandardError(0.5, 4), 12);
    }

    [Fact]
    public void LshCandidateRateFollowsTheSCurve()
    {
        // Hand values: b = 4, r = 2, s = 0.5: 1 − (1 − 0.25)⁴ = 0.68359375. Threshold (1/4)^(1/2) = 0.5.
        Assert.Equal(0.68359375, LshIndex.CandidateProbability(0.5, 4, 2), 12);
        Assert.Equal(0.5, LshIndex.Threshold(4, 2), 12);
        // Empirically, over 2000 seeds, for a pair at J = 1/3 with b = 8, r = 3: p = 1 − (1 − 1/27)^8 ≈ 0.2606.
        var a = Enumerable.Range(0, 60).Select(i => $"s{i}").ToArray();
        var b = Enumerable.Range(30, 60).Select(i => $"s{i}").ToArray();
        double p = LshIndex.CandidateProbability(1.0 / 3, 8, 3);
        var index = new LshIndex(8, 3);
        double rate = Enumerable.Range(0, 2000).Average(seed =>
        {
            var minHash = new MinHash(24, seed);
            return index.AreCandidates(minHash.Signature(a), minHash.Signature(b)) ? 1.0 : 0.0;
        });
        Assert.InRange(rate, p - 4 * Math.Sqrt(p * (1 - p) / 2000), p + 4 * Math.Sqrt(p * (1 - p) / 2000));
    }

    [Fact]
    public void LshIndexPairsDocumentsSharingABand()
    {
        var index = new LshIndex(2, 2);
        index.Add(0, new ulong[] { 1, 2, 3, 4 });
        index.Add(1, new ulong[] { 1, 2, 9, 9 });   // shares band 0 with 0
        index.Add(2, new ulong[] { 7, 7, 3, 4 });   // shares band 1 with 0
        index.Add(3, new ulong[] { 1, 9, 3, 9 });   // shares no whole band
        Assert.Equal(new[] { (0, 1), (0, 2) }, index.CandidatePairs());
        Assert.False(index.AreCandidates(new ulong[] { 1, 9, 3, 9 }, new ulong[] { 1, 2, 3, 4 }));
    }

    [Fact]
    public void ExactDeduplicationKeepsTheFirstCopy()
    {
        var documents = new[] { "Call me Ishmael.", "call me   ISHMAEL", "Call me Ahab.", "Call me, Ishmael!" };
        Assert.Equal(new[] { 0, 0, 2, 0 }, ExactDeduplication.FirstCopy(documents));
        Assert.Equal(new[] { 0, 2 }, ExactDeduplication.Keep(documents));
    }

    [Fact]
    public void QualitySignalsByHand()
    {
        // Words "ab", "c#.", "###", "defg", "ab", "c#.": 6 words of lengths 2, 3, 3, 4, 2, 3; five '#' → ratio 5/6;
        // all but "###" contain a letter. Lines "ab c#." / "### defg" / "ab c#.": 2 of 3 end in '.', 1 of 3 repeats.
        var s = QualitySignals.Of("ab c#.\n### defg\nab c#.");
        Assert.Equal(6, s.WordCount);
        Assert.Equal(17 / 6.0, s.MeanWordLength, 12);
        Assert.Equal(5 / 6.0, s.SymbolToWordRatio, 12);
        Assert.Equal(5 / 6.0, s.AlphabeticWordFraction, 12);
        Assert.Equal(2 / 3.0, s.PunctuationEndedLineFraction, 12);
        Assert.Equal(1 / 3.0, s.DuplicateLineFraction, 12);
        var filter = new QualityFilter();
        Assert.Contains("word count", filter.Violations(s));
        string prose = string.Join(' ', Enumerable.Repeat("The whale swam slowly past the ship.", 10));
        Assert.True(filter.Passes(prose));
        Assert.False(filter.Passes(string.Join('\n', Enumerable.Repeat("buy cheap boats now today", 20))));
    }

    [Fact]
    public void NgramOverlapByHand()
    {
        // Train: "a b c d e". Test "x b c d y": trigrams (x b c), (b c d), (c d y); only (b c d) is in train → 1/3.
        var overlap = new NgramOverlap(new[] { "A b c d e" }, 3);
        Assert.Equal(3, overlap.TrainNgramCount);
        Assert.Equal(1 / 3.0, overlap.OverlapFraction("x b c d y"), 12);
        Assert.True(overlap.IsContaminated("x b c d y"));
        Assert.False(overlap.IsContaminated("a b x d e"));
        Assert.Equal(0.0, overlap.OverlapFraction("a b"));
    }
}
