namespace TransformersBook.Models;

/// <summary>
/// A character n-gram language model with Witten–Bell interpolation, the classical baseline for character-level
/// perplexity. For a history h of up to n − 1 characters and its one-shorter suffix h′,
/// P(c | h) = (N(h c) + T(h) · P(c | h′)) / (N(h) + T(h)), where N counts occurrences in the training text and T(h) is
/// the number of different characters seen after h; an unseen history falls back to P(c | h′) entirely. The recursion
/// ends in the add-one unigram distribution over the vocabulary, so every probability is positive and each
/// conditional distribution sums to 1.
/// </summary>
public sealed class CharacterNGramModel
{
    readonly int order;
    readonly int vocabularySize;
    readonly Dictionary<string, Dictionary<int, int>> following = new();
    readonly Dictionary<string, int> historyTotals = new();
    readonly long[] unigramCounts;
    readonly long unigramTotal;

    /// <summary>Counts every n-gram of orders 1 to <paramref name="order"/> in the training ids.</summary>
    /// <param name="ids">The training text as token ids 0 … V − 1.</param>
    /// <param name="order">n: the history is n − 1 characters long.</param>
    /// <param name="vocabularySize">V.</param>
    public CharacterNGramModel(IReadOnlyList<long> ids, int order, int vocabularySize)
    {
        if (order < 1) throw new ArgumentOutOfRangeException(nameof(order), order, "order must be positive.");
        this.order = order;
        this.vocabularySize = vocabularySize;
        unigramCounts = new long[vocabularySize];
        foreach (var id in ids) unigramCounts[id]++;
        unigramTotal = ids.Count;
        for (int i = 0; i < ids.Count; i++)
            for (int h = 1; h < order && h <= i; h++)
            {
                string history = Key(ids, i - h, h);
                if (!following.TryGetValue(history, out var counts)) following[history] = counts = new Dictionary<int, int>();
                counts[(int)ids[i]] = counts.GetValueOrDefault((int)ids[i]) + 1;
                historyTotals[history] = historyTotals.GetValueOrDefault(history) + 1;
            }
    }

    /// <summary>n.</summary>
    public int Order => order;

    /// <summary>A history as a string key, one character per id (histories of different lengths never collide).</summary>
    static string Key(IReadOnlyList<long> ids, int start, int length)
    {
        var characters = new char[length];
        for (int j = 0; j < length; j++) characters[j] = (char)ids[start + j];
        return new string(characters);
    }

    /// <summary>P(next | history), using the last n − 1 ids of the history (fewer at the start of a text).</summary>
    /// <param name="history">The preceding ids.</param>
    /// <param name="next">The id whose probability is wanted.</param>
    public double Probability(IReadOnlyList<long> history, long next)
    {
        double p = (unigramCounts[next] + 1.0) / (unigramTotal + vocabularySize);
        int longest = Math.Min(order - 1, history.Count);
        for (int h = 1; h <= longest; h++)
        {
            string key = Key(history, history.Count - h, h);
            if (!following.TryGetValue(key, out var counts)) break;
            double total = historyTotals[key], types = counts.Count;
            p = (counts.GetValueOrDefault((int)next) + types * p) / (total + types);
        }
        return p;
    }

    /// <summary>Mean negative log-likelihood in nats per character of <paramref name="ids"/>, each predicted from the ids before it.</summary>
    /// <param name="ids">The text to score.</param>
    public double CrossEntropy(IReadOnlyList<long> ids)
    {
        if (ids.Count == 0) throw new ArgumentException("nothing to score.", nameof(ids));
        double total = 0;
        var window = new List<long>();
        for (int i = 0; i < ids.Count; i++)
        {
            window.Clear();
            for (int j = Math.Max(0, i - order + 1); j < i; j++) window.Add(ids[j]);
            total -= Math.Log(Probability(window, ids[i]));
        }
        return total / ids.Count;
    }
}
