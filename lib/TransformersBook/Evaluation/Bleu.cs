namespace TransformersBook.Evaluation;

/// <summary>
/// Corpus BLEU (Papineni et al., 2002) as sacreBLEU 2 computes it (Post, 2018): 13a tokenization, n-grams up to 4,
/// matches clipped by the largest count in any reference, the brevity penalty from the closest reference length
/// (the shorter one on ties), the geometric mean of the precisions, and "exp" smoothing by default.
/// </summary>
public static class Bleu
{
    /// <summary>Corpus BLEU of <paramref name="hypotheses"/> against reference streams.</summary>
    /// <param name="hypotheses">One hypothesis per segment.</param>
    /// <param name="referenceStreams">Each stream holds one reference per segment (sacreBLEU's layout); a null entry is skipped.</param>
    /// <param name="smoothing">How an order without matches is treated.</param>
    /// <param name="smoothValue">ε for <see cref="BleuSmoothing.Floor"/> (default 0.1).</param>
    /// <param name="tokenize">Tokenize with 13a (true, sacreBLEU's default) or split on whitespace only ("none").</param>
    /// <param name="effectiveOrder">Average only over the orders the hypotheses have n-grams for (for sentence-level BLEU).</param>
    /// <param name="lowercase">Lowercase everything first.</param>
    /// <param name="maxOrder">N, the largest n-gram order.</param>
    public static BleuScore Corpus(IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string?>> referenceStreams,
        BleuSmoothing smoothing = BleuSmoothing.Exponential, double smoothValue = 0.1, bool tokenize = true,
        bool effectiveOrder = false, bool lowercase = false, int maxOrder = 4)
    {
        ArgumentNullException.ThrowIfNull(hypotheses);
        ArgumentNullException.ThrowIfNull(referenceStreams);
        if (referenceStreams.Any(s => s.Count != hypotheses.Count))
            throw new ArgumentException("Every reference stream needs one reference per hypothesis.", nameof(referenceStreams));
        var matches = new int[maxOrder];
        var totals = new int[maxOrder];
        int hypothesisLength = 0, referenceLength = 0;
        string[] Prepare(string s)
        {
            s = s.TrimEnd();
            if (lowercase) s = s.ToLowerInvariant();
            return tokenize ? Tokenizer13a.Tokens(s) : s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        }
        for (int i = 0; i < hypotheses.Count; i++)
        {
            var references = referenceStreams.Select(s => s[i]).Where(r => r is not null).Select(r => Prepare(r!)).ToArray();
            var maxReferenceCounts = new Dictionary<string, int>();
            foreach (var reference in references)
                foreach (var (gram, count) in NGramCounts(reference, maxOrder))
                    maxReferenceCounts[gram] = Math.Max(maxReferenceCounts.GetValueOrDefault(gram), count);
            var hypothesis = Prepare(hypotheses[i]);
            hypothesisLength += hypothesis.Length;
            referenceLength += ClosestReferenceLength(hypothesis.Length, references.Select(r => r.Length));
            foreach (var (gram, count) in NGramCounts(hypothesis, maxOrder))
            {
                int n = gram.Count(c => c == ' ');                // order − 1: grams are tokens joined by spaces
                totals[n] += count;
                matches[n] += Math.Min(count, maxReferenceCounts.GetValueOrDefault(gram));
            }
        }
        return FromStatistics(matches, totals, hypothesisLength, referenceLength, smoothing, smoothValue, effectiveOrder);
    }

    /// <summary>Sentence BLEU: one hypothesis against its references, with the effective order (as sacreBLEU recommends).</summary>
    public static BleuScore Sentence(string hypothesis, IReadOnlyList<string> references, BleuSmoothing smoothing = BleuSmoothing.Exponential) =>
        Corpus(new[] { hypothesis }, references.Select(r => (IReadOnlyList<string?>)new[] { r }).ToArray(), smoothing, effectiveOrder: true);

    /// <summary>BLEU from corpus statistics: BP · exp(mean over orders of log pₙ), pₙ smoothed where it is zero.</summary>
    public static BleuScore FromStatistics(int[] matches, int[] totals, int hypothesisLength, int referenceLength,
        BleuSmoothing smoothing = BleuSmoothing.None, double smoothValue = 0.1, bool effectiveOrder = false)
    {
        int maxOrder = matches.Length;
        double brevityPenalty = 1.0;
        if (hypothesisLength < referenceLength)
            brevityPenalty = hypothesisLength > 0 ? Math.Exp(1 - (double)referenceLength / hypothesisLength) : 0.0;
        var precisions = new double[maxOrder];
        if (matches.All(m => m == 0))
            return new BleuScore(0.0, matches, totals, precisions, brevityPenalty, hypothesisLength, referenceLength);
        double exponentialFactor = 1.0;
        int order = maxOrder;
        for (int n = 0; n < maxOrder; n++)
        {
            if (totals[n] == 0) break;
            if (effectiveOrder) order = n + 1;
            if (matches[n] == 0)
            {
                if (smoothing == BleuSmoothing.Exponential)
                {
                    exponentialFactor *= 2;
                    precisions[n] = 100.0 / (exponentialFactor * totals[n]);
                }
                else if (smoothing == BleuSmoothing.Floor)
                    precisions[n] = 100.0 * smoothValue / totals[n];
            }
            else
                precisions[n] = 100.0 * matches[n] / totals[n];
        }
        double meanLog = precisions.Take(order).Sum(p => p == 0 ? -9999999999.0 : Math.Log(p)) / order;
        return new BleuScore(brevityPenalty * Math.Exp(meanLog), matches, totals, precisions, brevityPenalty, hypothesisLength, referenceLength);
    }

    /// <summary>Counts of all n-grams of orders 1..<paramref name="maxOrder"/>, each written as its tokens joined by spaces.</summary>
    public static Dictionary<string, int> NGramCounts(IReadOnlyList<string> tokens, int maxOrder)
    {
        var counts = new Dictionary<string, int>();
        for (int n = 1; n <= maxOrder; n++)
            for (int i = 0; i + n <= tokens.Count; i++)
            {
                string gram = string.Join(' ', tokens.Skip(i).Take(n));
                counts[gram] = counts.GetValueOrDefault(gram) + 1;
            }
        return counts;
    }

    /// <summary>The reference length closest to the hypothesis length; the shorter on a tie.</summary>
    public static int ClosestReferenceLength(int hypothesisLength, IEnumerable<int> referenceLengths)
    {
        int best = -1, bestDifference = -1;
        foreach (int length in referenceLengths)
        {
            int difference = Math.Abs(hypothesisLength - length);
            if (bestDifference == -1 || difference < bestDifference || (difference == bestDifference && length < best))
                (best, bestDifference) = (length, difference);
        }
        return Math.Max(best, 0);
    }
}
