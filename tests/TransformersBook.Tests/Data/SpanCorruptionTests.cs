using TransformersBook.Data;

namespace TransformersBook.Tests;

public sealed class SpanCorruptionTests
{
    static readonly string[] Words = "Thank you for inviting me to your party last week .".Split(' ');

    [Fact]
    public void HandWorkedExampleMatchesThePaper()
    {
        // Raffel et al. (2020), figure 2: "for inviting" and "last" are dropped.
        var noise = Words.Select(w => w is "for" or "inviting" or "last").ToArray();
        var example = SpanCorruption.Apply(Words, noise);
        Assert.Equal("Thank you <X0> me to your party <X1> week .", string.Join(" ", example.Input));
        Assert.Equal("<X0> for inviting <X1> last <X2>", string.Join(" ", example.Target));
    }

    [Fact]
    public void SpanAtTheStartAndEnd()
    {
        var tokens = new[] { "a", "b", "c", "d" };
        var example = SpanCorruption.Apply(tokens, new[] { true, false, false, true });
        Assert.Equal(new[] { "<X0>", "b", "c", "<X1>" }, example.Input);
        Assert.Equal(new[] { "<X0>", "a", "<X1>", "d", "<X2>" }, example.Target);
    }

    [Theory]
    [InlineData(100, 15, 5)]
    [InlineData(20, 3, 1)]
    [InlineData(40, 6, 2)]
    [InlineData(2, 1, 1)]
    public void CountsAreExact(int length, int noise, int spans) =>
        Assert.Equal((noise, spans), SpanCorruption.Counts(length));

    [Fact]
    public void MaskHasExactlyTheNoiseTokensInTheSpans()
    {
        var random = new Random(5);
        for (int trial = 0; trial < 200; trial++)
        {
            int length = random.Next(2, 200);
            var mask = SpanCorruption.NoiseMask(length, random);
            var (noise, spans) = SpanCorruption.Counts(length);
            Assert.Equal(noise, mask.Count(m => m));
            int runs = mask.Where((m, i) => m && (i == 0 || !mask[i - 1])).Count();
            Assert.Equal(spans, runs);
            Assert.False(mask[0]);   // T5 puts a kept run first
        }
    }

    [Fact]
    public void RateAndMeanSpanLengthOverManySequences()
    {
        var random = new Random(11);
        long noise = 0, tokens = 0, spans = 0;
        for (int trial = 0; trial < 500; trial++)
        {
            var mask = SpanCorruption.NoiseMask(200, random);
            noise += mask.Count(m => m);
            tokens += mask.Length;
            spans += mask.Where((m, i) => m && (i == 0 || !mask[i - 1])).Count();
        }
        Assert.Equal(0.15, noise / (double)tokens, 3);
        Assert.InRange(noise / (double)spans, 2.9, 3.1);
    }

    [Fact]
    public void MergingTheTargetBackRecoversTheOriginal()
    {
        var random = new Random(3);
        for (int trial = 0; trial < 200; trial++)
        {
            var tokens = Enumerable.Range(0, random.Next(2, 120)).Select(_ => ((char)('a' + random.Next(26))).ToString()).ToArray();
            var example = SpanCorruption.Corrupt(tokens, random);
            Assert.Equal(tokens, SpanCorruption.Merge(example.Input, example.Target));
            Assert.Equal(SpanCorruption.Sentinel(example.Input.Count(SpanCorruption.IsSentinel)), example.Target[^1]);
        }
    }

    [Fact]
    public void SameSeedSameCorruption()
    {
        var a = SpanCorruption.Corrupt(Words, new Random(9));
        var b = SpanCorruption.Corrupt(Words, new Random(9));
        Assert.Equal(a.Input, b.Input);
        Assert.Equal(a.Target, b.Target);
    }

    [Fact]
    public void TasksArePrefixedText()
    {
        var g2p = TextToTextTasks.Phonemes("KNIGHT", new[] { "N", "AY1", "T" });
        Assert.Equal("phonemes: knight", g2p.Input);
        Assert.Equal("N AY T", g2p.Target);
        Assert.Equal("case: call me ishmael.", TextToTextTasks.Case("Call me Ishmael.").Input);
        Assert.Equal("cba", TextToTextTasks.Reverse("abc").Target);
        var sentences = TextToTextTasks.Sentences("Call me\n Ishmael. Some years ago, never mind. x", 5, 40);
        Assert.Equal(new[] { "Call me Ishmael.", "Some years ago, never mind." }, sentences);
    }
}
