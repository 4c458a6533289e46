namespace TransformersBook.Tokenization;

/// <summary>
/// Trains a unigram vocabulary the SentencePiece way (Kudo, 2018): start from a large seed vocabulary — every
/// character plus the most frequent substrings of the words — and alternate (1) EM: the E-step runs the
/// forward-backward algorithm over each word's segmentation lattice to get each piece's expected count, the M-step sets
/// p(piece) ∝ expected count; and (2) pruning: for every piece, estimate how much the corpus log-likelihood drops if it
/// is removed (its Viterbi count times the log-probability lost by cutting it the next best way) and drop the
/// <see cref="ShrinkFactor"/> share with the smallest loss. Single characters are never pruned, so every word stays
/// encodable. Stop when the vocabulary has the size asked for.
/// </summary>
public static class UnigramTrainer
{
    /// <summary>The share of the vocabulary kept at each pruning step (SentencePiece's shrinking_factor).</summary>
    public const double ShrinkFactor = 0.75;

    /// <summary>Word frequencies of texts, words as <see cref="UnigramTokenizer.PreTokenize"/> finds them.</summary>
    public static Dictionary<string, long> CountWords(IEnumerable<string> texts)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var text in texts)
            foreach (var word in UnigramTokenizer.PreTokenize(text))
                counts[word] = counts.GetValueOrDefault(word) + 1;
        return counts;
    }

    /// <summary>The trained tokenizer.</summary>
    /// <param name="wordCounts">Words (with their space mark) and frequencies.</param>
    /// <param name="vocabularySize">The size to reach, &lt;unk&gt; included (more if the characters alone exceed it).</param>
    /// <param name="seedSize">How many multi-character substrings to start from.</param>
    /// <param name="maxPieceLength">The longest piece, in characters.</param>
    /// <param name="emIterations">EM iterations before each pruning step.</param>
    public static UnigramTokenizer Train(IReadOnlyDictionary<string, long> wordCounts, int vocabularySize, int seedSize = 20_000,
        int maxPieceLength = 12, int emIterations = 2)
    {
        ArgumentNullException.ThrowIfNull(wordCounts);
        var words = wordCounts.Where(w => w.Key.Length > 0 && w.Value > 0).OrderBy(w => w.Key, StringComparer.Ordinal).ToArray();

        // Seed: all characters, plus the substrings with the highest frequency × length (SentencePiece uses a suffix array).
        var characters = new Dictionary<string, double>(StringComparer.Ordinal);
        var substrings = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (word, count) in words)
            for (int i = 0; i < word.Length; i++)
            {
                var c = word[i].ToString();
                characters[c] = characters.GetValueOrDefault(c) + count;
                for (int len = 2; len <= maxPieceLength && i + len <= word.Length; len++)
                {
                    var s = word.Substring(i, len);
                    substrings[s] = substrings.GetValueOrDefault(s) + count;
                }
            }
        var scores = new Dictionary<string, double>(characters, StringComparer.Ordinal);
        foreach (var (s, count) in substrings.Where(s => s.Value >= 2).OrderByDescending(s => s.Value * s.Key.Length).ThenBy(s => s.Key, StringComparer.Ordinal).Take(seedSize))
            scores[s] = count;

        while (true)
        {
            for (int it = 0; it < emIterations; it++) scores = ExpectationMaximization(scores, words);
            int target = Math.Max(vocabularySize - 1, characters.Count);
            if (scores.Count <= target) break;
            var tokenizer = Build(scores);
            int keep = Math.Max(target, (int)(scores.Count * ShrinkFactor));
            scores = Prune(tokenizer, scores, words, characters, keep);
        }
        return Build(scores);
    }

    /// <summary>A tokenizer whose log-probabilities are the normalized scores, pieces sorted by score (ties ordinal).</summary>
    public static UnigramTokenizer Build(IReadOnlyDictionary<string, double> scores)
    {
        double total = scores.Values.Sum();
        var pieces = new List<(string, double)> { (UnigramTokenizer.UnknownToken, 0.0) };
        pieces.AddRange(scores.Where(s => s.Value > 0).OrderByDescending(s => s.Value).ThenBy(s => s.Key, StringComparer.Ordinal)
            .Select(s => (s.Key, Math.Log(s.Value / total))));
        return new UnigramTokenizer(pieces);
    }

    /// <summary>
    /// One EM step: expected counts of every piece by forward-backward over each word's lattice (in log space), weighted
    /// by word frequency. Returns the new (unnormalized) scores; a piece no word uses keeps a tiny floor (pruning removes it first).
    /// </summary>
    public static Dictionary<string, double> ExpectationMaximization(IReadOnlyDictionary<string, double> scores, IEnumerable<KeyValuePair<string, long>> words)
    {
        double total = scores.Values.Sum();
        var logp = scores.ToDictionary(s => s.Key, s => Math.Log(s.Value / total), StringComparer.Ordinal);
        int maxLen = scores.Keys.Max(k => k.Length);
        var expected = scores.Keys.ToDictionary(k => k, _ => 0.0, StringComparer.Ordinal);
        foreach (var (word, count) in words)
        {
            int n = word.Length;
            var alpha = new double[n + 1];
            var beta = new double[n + 1];
            Array.Fill(alpha, double.NegativeInfinity); Array.Fill(beta, double.NegativeInfinity);
            alpha[0] = 0; beta[n] = 0;
            for (int end = 1; end <= n; end++)
                for (int start = Math.Max(0, end - maxLen); start < end; start++)
                    if (logp.TryGetValue(word.Substring(start, end - start), out var lp)) alpha[end] = LogAdd(alpha[end], alpha[start] + lp);
            for (int start = n - 1; start >= 0; start--)
                for (int end = start + 1; end <= Math.Min(n, start + maxLen); end++)
                    if (logp.TryGetValue(word.Substring(start, end - start), out var lp)) beta[start] = LogAdd(beta[start], lp + beta[end]);
            double z = alpha[n];
            if (double.IsNegativeInfinity(z)) continue;
            for (int start = 0; start < n; start++)
                for (int end = start + 1; end <= Math.Min(n, start + maxLen); end++)
                {
                    var piece = word.Substring(start, end - start);
                    if (logp.TryGetValue(piece, out var lp)) expected[piece] += count * Math.Exp(alpha[start] + lp + beta[end] - z);
                }
        }
        return expected.ToDictionary(e => e.Key, e => Math.Max(e.Value, 1e-9), StringComparer.Ordinal);
    }

    /// <summary>
    /// Keeps the <paramref name="keep"/> pieces whose removal would cost most: for a multi-character piece, its Viterbi
    /// count times (its log-probability − the log-probability of the best segmentation of it without it).
    /// Characters are always kept.
    /// </summary>
    static Dictionary<string, double> Prune(UnigramTokenizer tokenizer, Dictionary<string, double> scores,
        IEnumerable<KeyValuePair<string, long>> words, IReadOnlyDictionary<string, double> characters, int keep)
    {
        var viterbiCount = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (word, count) in words)
            foreach (var id in tokenizer.Segment(word).Ids)
            {
                var piece = tokenizer.Pieces[id].Piece;
                viterbiCount[piece] = viterbiCount.GetValueOrDefault(piece) + count;
            }
        var logp = tokenizer.Pieces.ToDictionary(p => p.Piece, p => p.LogProbability, StringComparer.Ordinal);
        var loss = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var piece in scores.Keys)
        {
            if (characters.ContainsKey(piece)) continue;
            long f = viterbiCount.GetValueOrDefault(piece);
            if (f == 0 || !logp.ContainsKey(piece)) { loss[piece] = 0; continue; }
            var alternative = tokenizer.Segment(piece, excluded: piece).LogProbability;
            loss[piece] = f * (logp[piece] - alternative);
        }
        int multiKeep = Math.Max(0, keep - characters.Count);
        var kept = new HashSet<string>(loss.OrderByDescending(l => l.Value).ThenBy(l => l.Key, StringComparer.Ordinal).Take(multiKeep).Select(l => l.Key), StringComparer.Ordinal);
        return scores.Where(s => characters.ContainsKey(s.Key) || kept.Contains(s.Key)).ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
    }

    /// <summary>log(exp(a) + exp(b)) without overflow.</summary>
    public static double LogAdd(double a, double b)
    {
        if (double.IsNegativeInfinity(a)) return b;
        if (double.IsNegativeInfinity(b)) return a;
        return Math.Max(a, b) + Math.Log(1 + Math.Exp(-Math.Abs(a - b)));
    }
}
