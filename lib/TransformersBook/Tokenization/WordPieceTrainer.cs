namespace TransformersBook.Tokenization;

/// <summary>
/// Learns a WordPiece vocabulary bottom-up, as the HuggingFace tokenizers library describes WordPiece training
/// (Schuster and Nakajima, 2012, chose merges by the language model's likelihood gain; this is the usual count-based
/// stand-in for it). Start from the characters: a word's first character as itself, every later one as "##c". Then
/// repeatedly merge the adjacent pair (a, b) with the highest score count(ab) / (count(a)·count(b)), counts weighted
/// by word frequency, into one new piece (a followed by b without its "##"), until the vocabulary has the size asked
/// for or no pair is left (optionally: no pair seen at least a minimum number of times). Ties go to the more frequent pair, then to the ordinally smaller (a, b).
/// </summary>
/// <remarks>
/// The score prefers pairs whose parts are rare on their own but often together: a high count(ab) is not enough if a
/// and b are common anyway (that is BPE's criterion, count(ab) alone). Pair and piece counts are updated only for the
/// words a merge touches, which makes training fast enough for a notebook; the result equals recounting from scratch.
/// </remarks>
public static class WordPieceTrainer
{
    /// <summary>Word frequencies of texts, words as <see cref="WordPieceTokenizer.PreTokenize"/> finds them.</summary>
    public static Dictionary<string, long> CountWords(IEnumerable<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var text in texts)
            foreach (var word in WordPieceTokenizer.PreTokenize(text))
                counts[word] = counts.GetValueOrDefault(word) + 1;
        return counts;
    }

    /// <summary>The merges and the vocabulary they produce.</summary>
    /// <param name="wordCounts">Words and their frequencies.</param>
    /// <param name="vocabularySize">The size to stop at, special tokens and characters included.</param>
    /// <param name="minPairCount">
    /// Only pairs seen at least this often may merge. The score divides by the parts' counts, so without a floor it
    /// merges rare strings first (a spam's "qqqqqqqq" before "th"); 1 means no floor.
    /// </param>
    /// <param name="specialTokens">Tokens given the first ids (default <see cref="WordPieceTokenizer.SpecialTokens"/>).</param>
    public static WordPieceVocabulary Train(IReadOnlyDictionary<string, long> wordCounts, int vocabularySize, long minPairCount = 1,
        IReadOnlyList<string>? specialTokens = null)
    {
        ArgumentNullException.ThrowIfNull(wordCounts);
        specialTokens ??= WordPieceTokenizer.SpecialTokens;
        var words = wordCounts.Where(w => w.Key.Length > 0 && w.Value > 0)
            .OrderBy(w => w.Key, StringComparer.Ordinal)
            .Select(w => (Pieces: Characters(w.Key), Count: w.Value)).ToArray();

        var vocabulary = new List<string>(specialTokens);
        var known = new HashSet<string>(vocabulary, StringComparer.Ordinal);
        foreach (var piece in words.SelectMany(w => w.Pieces).Distinct().OrderBy(p => p, StringComparer.Ordinal))
            if (known.Add(piece)) vocabulary.Add(piece);

        var pieceCounts = new Dictionary<string, long>(StringComparer.Ordinal);
        var pairCounts = new Dictionary<(string, string), long>();
        var pairWords = new Dictionary<(string, string), HashSet<int>>();
        for (int w = 0; w < words.Length; w++) AddWord(w, +1);

        var merges = new List<WordPieceMerge>();
        while (vocabulary.Count < vocabularySize)
        {
            var best = Best(pairCounts, pieceCounts, minPairCount);
            if (best.Count == 0) break;     // no pair left that is frequent enough
            var (a, b) = best.Pair;
            string merged = Merge(a, b);
            merges.Add(new WordPieceMerge(a, b, merged, best.Count, best.Score));
            if (known.Add(merged)) vocabulary.Add(merged);
            foreach (int w in pairWords[best.Pair].ToArray())
            {
                AddWord(w, -1);
                words[w].Pieces = Apply(words[w].Pieces, a, b, merged);
                AddWord(w, +1);
            }
        }
        return new WordPieceVocabulary(vocabulary, merges);

        void AddWord(int w, int sign)
        {
            var (pieces, count) = words[w];
            foreach (var piece in pieces) Add(pieceCounts, piece, sign * count);
            for (int i = 0; i + 1 < pieces.Count; i++)
            {
                var pair = (pieces[i], pieces[i + 1]);
                Add(pairCounts, pair, sign * count);
                if (sign > 0)
                {
                    if (!pairWords.TryGetValue(pair, out var set)) pairWords[pair] = set = new HashSet<int>();
                    set.Add(w);
                }
            }
        }
    }

    static void Add<TKey>(Dictionary<TKey, long> counts, TKey key, long delta) where TKey : notnull
    {
        long value = counts.GetValueOrDefault(key) + delta;
        if (value == 0) counts.Remove(key);
        else counts[key] = value;
    }

    /// <summary>A word's starting pieces: its first character, then "##c" for every later character c.</summary>
    public static List<string> Characters(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        var pieces = new List<string>(word.Length);
        for (int i = 0; i < word.Length; i++) pieces.Add(i == 0 ? word[..1] : WordPieceTokenizer.ContinuationPrefix + word[i]);
        return pieces;
    }

    /// <summary>The piece a merge creates: a, then b without its "##" (b always continues a word).</summary>
    public static string Merge(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a + (b.StartsWith(WordPieceTokenizer.ContinuationPrefix, StringComparison.Ordinal) ? b[2..] : b);
    }

    /// <summary>A word's pieces with every occurrence of the pair (a, b), left to right, replaced by the merged piece.</summary>
    public static List<string> Apply(List<string> pieces, string a, string b, string merged)
    {
        ArgumentNullException.ThrowIfNull(pieces);
        var result = new List<string>(pieces.Count);
        for (int i = 0; i < pieces.Count; i++)
        {
            if (i + 1 < pieces.Count && pieces[i] == a && pieces[i + 1] == b) { result.Add(merged); i++; }
            else result.Add(pieces[i]);
        }
        return result;
    }

    /// <summary>count(ab) / (count(a)·count(b)), WordPiece's likelihood score of merging a and b.</summary>
    public static double Score(long pairCount, long countA, long countB) => pairCount / ((double)countA * countB);

    static ((string, string) Pair, long Count, double Score) Best(Dictionary<(string, string), long> pairCounts, Dictionary<string, long> pieceCounts, long minPairCount)
    {
        ((string, string) Pair, long Count, double Score) best = (("", ""), 0, double.NegativeInfinity);
        foreach (var (pair, count) in pairCounts)
        {
            if (count < minPairCount) continue;
            double score = Score(count, pieceCounts[pair.Item1], pieceCounts[pair.Item2]);
            if (score > best.Score || (score == best.Score && (count > best.Count || (count == best.Count && ComparePairs(pair, best.Pair) < 0))))
                best = (pair, count, score);
        }
        return best;
    }

    /// <summary>Ordinal order of pairs, the last tie-break.</summary>
    public static int ComparePairs((string, string) x, (string, string) y)
    {
        int first = string.CompareOrdinal(x.Item1, y.Item1);
        return first != 0 ? first : string.CompareOrdinal(x.Item2, y.Item2);
    }
}

/// <summary>One merge of WordPiece training.</summary>
/// <param name="Left">The first piece, a.</param>
/// <param name="Right">The second piece, b (a "##" piece).</param>
/// <param name="Merged">The new piece.</param>
/// <param name="Count">count(ab) when it was chosen.</param>
/// <param name="Score">count(ab) / (count(a)·count(b)) when it was chosen.</param>
public sealed record WordPieceMerge(string Left, string Right, string Merged, long Count, double Score);

/// <summary>What <see cref="WordPieceTrainer.Train"/> learned.</summary>
/// <param name="Tokens">The vocabulary: special tokens, the characters, then the merged pieces in the order learned.</param>
/// <param name="Merges">The merges in order.</param>
public sealed record WordPieceVocabulary(IReadOnlyList<string> Tokens, IReadOnlyList<WordPieceMerge> Merges)
{
    /// <summary>A tokenizer over this vocabulary.</summary>
    public WordPieceTokenizer Tokenizer() => new(Tokens);
}
