namespace TransformersBook.Evaluation;

/// <summary>
/// chrF (Popović, 2015) and chrF++ (Popović, 2017) as sacreBLEU 2 computes them: character n-grams of orders 1..6
/// with whitespace removed (and, for chrF++, word n-grams of orders 1..2), an F-score weighting recall β times as much
/// as precision. Corpus scores add the counts of all segments before dividing; each segment uses the reference that
/// gives it the best F-score.
/// </summary>
public static class ChrF
{
    const string Punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    /// <summary>Corpus chrF on the 0–100 scale.</summary>
    /// <param name="hypotheses">One hypothesis per segment.</param>
    /// <param name="referenceStreams">Each stream holds one reference per segment.</param>
    /// <param name="charOrder">The largest character n-gram order (6).</param>
    /// <param name="wordOrder">The largest word n-gram order (0 for chrF, 2 for chrF++).</param>
    /// <param name="beta">β: recall counts β² times as much as precision (2).</param>
    /// <param name="epsSmoothing">
    /// True: average the F-scores of all orders, an order without n-grams scoring ε (chrF++.py, NLTK, Moses).
    /// False (sacreBLEU's default): average precision and recall over the orders that have n-grams on both sides, then take F.
    /// </param>
    /// <param name="whitespace">Keep whitespace inside character n-grams.</param>
    /// <param name="lowercase">Lowercase everything first.</param>
    public static double Corpus(IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string>> referenceStreams,
        int charOrder = 6, int wordOrder = 0, double beta = 2, bool epsSmoothing = false, bool whitespace = false, bool lowercase = false)
    {
        ArgumentNullException.ThrowIfNull(hypotheses);
        ArgumentNullException.ThrowIfNull(referenceStreams);
        int orders = charOrder + wordOrder;
        var total = new long[3 * orders];
        for (int i = 0; i < hypotheses.Count; i++)
        {
            var hypothesisGrams = AllNGrams(Prepare(hypotheses[i], lowercase), charOrder, wordOrder, whitespace);
            long[]? best = null;
            double bestScore = -1;
            foreach (var stream in referenceStreams)
            {
                var referenceGrams = AllNGrams(Prepare(stream[i], lowercase), charOrder, wordOrder, whitespace);
                var statistics = new long[3 * orders];
                for (int k = 0; k < orders; k++)
                {
                    var (h, r, m) = MatchStatistics(hypothesisGrams[k], referenceGrams[k]);
                    (statistics[3 * k], statistics[3 * k + 1], statistics[3 * k + 2]) = (h, r, m);
                }
                double score = FScore(statistics, orders, beta, epsSmoothing);
                if (score > bestScore) (bestScore, best) = (score, statistics);
            }
            for (int j = 0; j < total.Length; j++) total[j] += best![j];
        }
        return FScore(total, orders, beta, epsSmoothing);
    }

    /// <summary>Sentence chrF: one hypothesis against its references.</summary>
    public static double Sentence(string hypothesis, IReadOnlyList<string> references, int charOrder = 6, int wordOrder = 0,
        double beta = 2, bool epsSmoothing = false) =>
        Corpus(new[] { hypothesis }, references.Select(r => (IReadOnlyList<string>)new[] { r }).ToArray(), charOrder, wordOrder, beta, epsSmoothing);

    /// <summary>The F-score from flattened (hypothesis n-grams, reference n-grams, matches) triples, one per order.</summary>
    public static double FScore(IReadOnlyList<long> statistics, int orders, double beta, bool epsSmoothing)
    {
        const double eps = 1e-16;
        double factor = beta * beta, score = 0, averagePrecision = 0, averageRecall = 0;
        int effectiveOrder = 0;
        for (int k = 0; k < orders; k++)
        {
            long hyp = statistics[3 * k], reference = statistics[3 * k + 1], match = statistics[3 * k + 2];
            double precision = hyp > 0 ? (double)match / hyp : eps;
            double recall = reference > 0 ? (double)match / reference : eps;
            double denominator = factor * precision + recall;
            score += denominator > 0 ? (1 + factor) * precision * recall / denominator : eps;
            if (hyp > 0 && reference > 0)
            {
                averagePrecision += precision;
                averageRecall += recall;
                effectiveOrder++;
            }
        }
        if (epsSmoothing) return 100 * score / orders;
        if (effectiveOrder == 0) return 0.0;
        averagePrecision /= effectiveOrder;
        averageRecall /= effectiveOrder;
        if (averagePrecision + averageRecall == 0) return 0.0;
        return 100 * (1 + factor) * averagePrecision * averageRecall / (factor * averagePrecision + averageRecall);
    }

    /// <summary>Counts of the character n-grams of order <paramref name="n"/> (whitespace removed unless kept).</summary>
    public static Dictionary<string, int> CharNGrams(string line, int n, bool whitespace = false)
    {
        if (!whitespace) line = string.Concat(line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i + n <= line.Length; i++)
        {
            string gram = line.Substring(i, n);
            counts[gram] = counts.GetValueOrDefault(gram) + 1;
        }
        return counts;
    }

    /// <summary>chrF++'s words: whitespace-split, with one punctuation mark split off the end (or else the start) of a word.</summary>
    public static List<string> WordsWithPunctuationSplit(string line)
    {
        var words = new List<string>();
        foreach (var w in line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (w.Length == 1) words.Add(w);
            else if (Punctuation.Contains(w[^1])) { words.Add(w[..^1]); words.Add(w[^1].ToString()); }
            else if (Punctuation.Contains(w[0])) { words.Add(w[0].ToString()); words.Add(w[1..]); }
            else words.Add(w);
        }
        return words;
    }

    static string Prepare(string line, bool lowercase) => lowercase ? line.ToLowerInvariant() : line;

    static List<Dictionary<string, int>> AllNGrams(string line, int charOrder, int wordOrder, bool whitespace)
    {
        var grams = Enumerable.Range(1, charOrder).Select(n => CharNGrams(line, n, whitespace)).ToList();
        if (wordOrder > 0)
        {
            var words = WordsWithPunctuationSplit(line);
            for (int n = 1; n <= wordOrder; n++)
            {
                var counts = new Dictionary<string, int>(StringComparer.Ordinal);
                for (int i = 0; i + n <= words.Count; i++)
                {
                    string gram = string.Join(' ', words.Skip(i).Take(n));
                    counts[gram] = counts.GetValueOrDefault(gram) + 1;
                }
                grams.Add(counts);
            }
        }
        return grams;
    }

    static (long Hypothesis, long Reference, long Matches) MatchStatistics(Dictionary<string, int> hypothesis, Dictionary<string, int> reference)
    {
        long matches = 0, count = 0;
        foreach (var (gram, c) in hypothesis)
        {
            count += c;
            if (reference.TryGetValue(gram, out int r)) matches += Math.Min(c, r);
        }
        return (reference.Count > 0 ? count : 0, reference.Values.Sum(), matches);
    }
}
