using Microsoft.ML.Tokenizers;
using TransformersBook.Tokenization;

namespace TransformersBook.Tests;

public class ByteLevelBpeTests
{
    static readonly Lazy<ByteLevelBpeTokenizer> BookCl100k = new(() => new ByteLevelBpeTokenizer(TiktokenRankFile.ReadEmbedded("cl100k_base")));
    static readonly Lazy<TiktokenTokenizer> MicrosoftCl100k = new(() => TiktokenTokenizer.CreateForEncoding("cl100k_base"));

    [Fact]
    public void MinbpeWorkedExample()
    {
        // minbpe's README: "aaabdaaabac" with 3 merges encodes to [258, 100, 258, 97, 99].
        var vocabulary = ByteLevelBpeTrainer.Train("aaabdaaabac", merges: 3, pattern: null);
        Assert.Equal(new[] { (97, 97), (256, 97), (257, 98) }, vocabulary.Merges.Select(m => (m.Left, m.Right)));
        Assert.Equal(new[] { 258, 100, 258, 97, 99 }, vocabulary.EncodeWithMerges("aaabdaaabac"));
        Assert.Equal(new[] { 258, 100, 258, 97, 99 }, vocabulary.Tokenizer().Encode("aaabdaaabac"));
        Assert.Equal("aaab", System.Text.Encoding.UTF8.GetString(vocabulary.TokenBytes[258]));
    }

    [Fact]
    public void ReplaceMergesLeftToRightWithoutOverlap()
    {
        var seq = new List<int> { 1, 1, 1, 2, 1, 1 };
        ByteLevelBpeTrainer.Replace(seq, (1, 1), 9);
        Assert.Equal(new[] { 9, 1, 2, 9 }, seq);
    }

    [Fact]
    public void PiecesFollowTheCl100kSplit()
    {
        var pieces = BookCl100k.Value.PreTokenize("Hello world's 12345!!\n\n  x").ToList();
        Assert.Equal(new[] { "Hello", " world", "'s", " ", "123", "45", "!!\n\n", " ", " x" }, pieces);
    }

    [Theory]
    [InlineData("Hello, world!")]
    [InlineData("Call me Ishmael. Some years ago—never mind how long precisely—having little or no money in my purse,")]
    [InlineData("  indented\n\n\tcode(x) => x * 2; // 1234567 \r\n")]
    [InlineData("Grüße aus Köln, 東京は晴れ, привет мир, 🐳🐋 whale's")]
    [InlineData("I'LL can't WE'VE they'd 3.14159e-10")]
    public void MatchesMicrosoftTiktokenOnCl100k(string text)
    {
        var book = BookCl100k.Value.Encode(text);
        var microsoft = MicrosoftCl100k.Value.EncodeToIds(text);
        Assert.Equal(microsoft, book);
        Assert.Equal(text, BookCl100k.Value.Decode(book));
    }

    [Fact]
    public void TrainedTableRoundTripsAndLoadsInMicrosoftTiktoken()
    {
        var text = string.Concat(Enumerable.Repeat("the cat sat on the mat; the cats sat on the mats. ", 20)) + "Grüße 123456";
        var vocabulary = ByteLevelBpeTrainer.Train(text, merges: 20);
        var tokenizer = vocabulary.Tokenizer();
        Assert.Equal(276, tokenizer.VocabularySize);
        Assert.Equal(vocabulary.EncodeWithMerges(text), tokenizer.Encode(text));
        Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text)));
        var path = Path.GetTempFileName();
        try
        {
            tokenizer.WriteTiktokenFile(path);
            using var stream = File.OpenRead(path);
            var loaded = TiktokenTokenizer.Create(stream, MicrosoftCl100k.Value.PreTokenizer, normalizer: null);
            Assert.Equal(tokenizer.Encode(text), loaded.EncodeToIds(text));
        }
        finally { File.Delete(path); }
    }
}
