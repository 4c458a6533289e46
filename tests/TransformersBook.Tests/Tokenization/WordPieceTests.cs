using TransformersBook.Tokenization;
using Xunit;

namespace TransformersBook.Tests;

/// <summary>WordPiece: greedy longest-match-first cutting, the likelihood-score trainer (hand-worked merges, and equal to recounting from scratch), decoding.</summary>
public class WordPieceTests
{
    static readonly string[] Specials = { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]" };

    static WordPieceTokenizer Toy() => new(Specials.Concat(new[] { "un", "aff", "##aff", "##able", "a", "##a", "##b", "##l", "##e", "able", "!" }).ToList());

    [Fact]
    public void Pre_tokenization_lower_cases_and_splits_off_punctuation()
    {
        Assert.Equal(new[] { "hello", ",", "world", "!", "it", "'", "s", "42x" }, WordPieceTokenizer.PreTokenize("Hello, World! It's 42x"));
    }

    [Theory]
    [InlineData("unaffable", "un ##aff ##able")]
    [InlineData("affable", "aff ##able")]
    [InlineData("able", "able")]
    [InlineData("unable", "un ##able")]
    [InlineData("abe", "a ##b ##e")]
    [InlineData("unx", "[UNK]")]      // the rest "x" has no piece: the whole word is unknown
    public void Words_are_cut_greedily_longest_match_first(string word, string pieces)
    {
        Assert.Equal(pieces, string.Join(" ", Toy().TokenizeWord(word)));
    }

    [Fact]
    public void Overlong_words_are_unknown()
    {
        var tokenizer = new WordPieceTokenizer(Toy().Vocabulary, maxCharactersPerWord: 4);
        Assert.Equal(new[] { "[UNK]" }, tokenizer.TokenizeWord("unable"));
    }

    [Fact]
    public void Decoding_glues_continuation_pieces_and_inverts_encoding()
    {
        var tokenizer = Toy();
        var ids = tokenizer.Encode("Unaffable, unable!");
        Assert.Equal("unaffable [UNK] unable !", tokenizer.Decode(ids));   // "," is not in the vocabulary
        Assert.Equal("unaffable able !", tokenizer.Decode(tokenizer.Encode("UNAFFABLE able!")));
    }

    [Fact]
    public void Model_inputs_are_cls_pieces_sep_and_padding()
    {
        var tokenizer = Toy();
        Assert.Equal(new long[] { 2, tokenizer.Id("un"), tokenizer.Id("##able"), 3, 0, 0 }, tokenizer.EncodeForModel("unable", 6));
        var cut = tokenizer.EncodeForModel("unaffable able able", 4);
        Assert.Equal(new long[] { 2, tokenizer.Id("un"), tokenizer.Id("##aff"), 3 }, cut);
    }

    static readonly Dictionary<string, long> HugCorpus = new() { ["hug"] = 10, ["pug"] = 5, ["pun"] = 12, ["bun"] = 4, ["hugs"] = 5 };

    [Fact]
    public void Hand_worked_merges_follow_the_likelihood_score()
    {
        var trained = WordPieceTrainer.Train(HugCorpus, 5 + 7 + 4);
        // Alphabet: b h p ##g ##n ##s ##u (ordinal order puts "##" first).
        Assert.Equal(new[] { "##g", "##n", "##s", "##u", "b", "h", "p" }, trained.Tokens.Skip(5).Take(7));
        // 1: ##g ##s: 5 / (20·5) = 0.05 beats ##u ##g: 20 / (36·20).
        // 2: p ##u, h ##u, b ##u and ##u ##g all score 1/36 (##gs took 5 of ##g's 20); p ##u is the most frequent (17).
        // 3: with ##u down to 19: h ##u = 15/(15·19) ties b ##u = 4/(4·19); h ##u is more frequent.
        // 4: b ##u = 4/(4·4) = 0.25.
        Assert.Equal(new[] { ("##g", "##s"), ("p", "##u"), ("h", "##u"), ("b", "##u") },
            trained.Merges.Select(m => (m.Left, m.Right)).Take(4));
        Assert.Equal(0.05, trained.Merges[0].Score, 12);
        Assert.Equal(1.0 / 36, trained.Merges[1].Score, 12);
        Assert.Equal(1.0 / 19, trained.Merges[2].Score, 12);
        Assert.Equal(0.25, trained.Merges[3].Score, 12);
        Assert.Equal(new[] { "##gs", "pu", "hu", "bu" }, trained.Tokens.Skip(12).Take(4));
        Assert.Equal(16, trained.Tokens.Count);
        Assert.Equal(new[] { "hu", "##gs" }, trained.Tokenizer().TokenizeWord("hugs"));
    }

    [Fact]
    public void A_pair_floor_stops_rare_merges()
    {
        var counts = new Dictionary<string, long> { ["ab"] = 3, ["cd"] = 10 };
        var trained = WordPieceTrainer.Train(counts, 100, minPairCount: 4);
        Assert.Equal(new[] { "cd" }, trained.Merges.Select(m => m.Merged));
        Assert.Equal(5 + 4 + 1, trained.Tokens.Count);
    }

    /// <summary>The definition: recount everything after every merge.</summary>
    static List<string> Naive(IReadOnlyDictionary<string, long> counts, int size, long floor)
    {
        var words = counts.OrderBy(w => w.Key, StringComparer.Ordinal).Select(w => (P: WordPieceTrainer.Characters(w.Key), N: w.Value)).ToList();
        var vocabulary = Specials.ToList();
        vocabulary.AddRange(words.SelectMany(w => w.P).Distinct().OrderBy(p => p, StringComparer.Ordinal).ToList());
        while (vocabulary.Count < size)
        {
            var pieces = new Dictionary<string, long>();
            var pairs = new Dictionary<(string, string), long>();
            foreach (var (p, n) in words)
            {
                foreach (var x in p) pieces[x] = pieces.GetValueOrDefault(x) + n;
                for (int i = 0; i + 1 < p.Count; i++) pairs[(p[i], p[i + 1])] = pairs.GetValueOrDefault((p[i], p[i + 1])) + n;
            }
            var eligible = pairs.Where(kv => kv.Value >= floor).ToList();
            if (eligible.Count == 0) break;
            var best = eligible.Select(kv => (kv.Key, kv.Value, S: WordPieceTrainer.Score(kv.Value, pieces[kv.Key.Item1], pieces[kv.Key.Item2])))
                .OrderByDescending(x => x.S).ThenByDescending(x => x.Value)
                .ThenBy(x => x.Key.Item1, StringComparer.Ordinal).ThenBy(x => x.Key.Item2, StringComparer.Ordinal).First();
            string merged = WordPieceTrainer.Merge(best.Key.Item1, best.Key.Item2);
            if (!vocabulary.Contains(merged)) vocabulary.Add(merged);
            for (int w = 0; w < words.Count; w++) words[w] = (WordPieceTrainer.Apply(words[w].P, best.Key.Item1, best.Key.Item2, merged), words[w].N);
        }
        return vocabulary;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void Incremental_training_equals_recounting_from_scratch(long floor)
    {
        var random = new Random(7);
        var counts = new Dictionary<string, long>();
        for (int i = 0; i < 300; i++)
        {
            string word = new(Enumerable.Range(0, random.Next(1, 8)).Select(_ => "aabbcdeeefg"[random.Next(11)]).ToArray());
            counts[word] = counts.GetValueOrDefault(word) + random.Next(1, 20);
        }
        Assert.Equal(Naive(counts, 120, floor), WordPieceTrainer.Train(counts, 120, floor).Tokens);
    }

    [Fact]
    public void A_trained_tokenizer_agrees_with_microsoft_ml_tokenizers()
    {
        var counts = WordPieceTrainer.CountWords(new[] { "the whale and the sea; whales, seas, and the whaling ship", "a ship at sea" });
        var tokenizer = WordPieceTrainer.Train(counts, 40).Tokenizer();
        string path = Path.Combine(Path.GetTempPath(), $"wordpiece-test-{Guid.NewGuid():N}.txt");
        try
        {
            tokenizer.WriteVocabularyFile(path);
            var theirs = Microsoft.ML.Tokenizers.WordPieceTokenizer.Create(path,
                new Microsoft.ML.Tokenizers.WordPieceOptions { UnknownToken = "[UNK]", ContinuingSubwordPrefix = "##" });
            string text = "the whaling seas ship whale shipping";
            Assert.Equal(tokenizer.Encode(text), theirs.EncodeToIds(text));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
