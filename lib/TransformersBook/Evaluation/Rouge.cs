using System.Text.RegularExpressions;

namespace TransformersBook.Evaluation;

/// <summary>
/// ROUGE-N and ROUGE-L (Lin, 2004) as Google's rouge-score package computes them without stemming: text lowercased,
/// every run of characters outside a–z and 0–9 treated as a space; ROUGE-N counts clipped n-gram overlap, ROUGE-L the
/// longest common subsequence. Scores are (target, prediction) in that order, like rouge-score's <c>score</c>.
/// </summary>
public static partial class Rouge
{
    /// <summary>rouge-score's tokens: lowercase, non-alphanumerics to spaces, split.</summary>
    public static string[] Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return NonAlphanumeric().Replace(text.ToLowerInvariant(), " ").Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>ROUGE-N: n-gram overlap (each n-gram counted at most as often as it occurs in the target).</summary>
    public static RougeScore N(string target, string prediction, int n)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "ROUGE-N needs n ≥ 1.");
        var t = NGrams(Tokenize(target), n);
        var p = NGrams(Tokenize(prediction), n);
        int overlap = t.Sum(kv => Math.Min(kv.Value, p.GetValueOrDefault(kv.Key)));
        return RougeScore.FromCounts(overlap, p.Values.Sum(), t.Values.Sum());
    }

    /// <summary>ROUGE-L: the longest common subsequence of the token sequences.</summary>
    public static RougeScore L(string target, string prediction)
    {
        var t = Tokenize(target);
        var p = Tokenize(prediction);
        if (t.Length == 0 || p.Length == 0) return new RougeScore(0, 0, 0);
        return RougeScore.FromCounts(LongestCommonSubsequence(t, p), p.Length, t.Length);
    }

    /// <summary>The length of the longest common subsequence, by the O(|a|·|b|) dynamic programme.</summary>
    public static int LongestCommonSubsequence<T>(IReadOnlyList<T> a, IReadOnlyList<T> b)
    {
        var previous = new int[b.Count + 1];
        var current = new int[b.Count + 1];
        var comparer = EqualityComparer<T>.Default;
        for (int i = 1; i <= a.Count; i++)
        {
            for (int j = 1; j <= b.Count; j++)
                current[j] = comparer.Equals(a[i - 1], b[j - 1]) ? previous[j - 1] + 1 : Math.Max(previous[j], current[j - 1]);
            (previous, current) = (current, previous);
        }
        return previous[b.Count];
    }

    static Dictionary<string, int> NGrams(string[] tokens, int n)
    {
        var counts = new Dictionary<string, int>();
        for (int i = 0; i + n <= tokens.Length; i++)
        {
            string gram = string.Join(' ', tokens, i, n);
            counts[gram] = counts.GetValueOrDefault(gram) + 1;
        }
        return counts;
    }

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NonAlphanumeric();
}
