using System.Text.RegularExpressions;

namespace TransformersBook.Evaluation;

/// <summary>
/// Exact match and token F1 for extractive question answering, as SQuAD's official evaluation script defines them
/// v1.1 (Rajpurkar et al., 2016): both answers normalised (lowercase, punctuation removed, the articles a/an/the removed,
/// whitespace collapsed); with several gold answers the best score counts.
/// </summary>
public static partial class AnswerMatch
{
    const string Punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    /// <summary>SQuAD's normalisation: lowercase, drop punctuation, drop articles, single spaces.</summary>
    public static string Normalize(string answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var lower = answer.ToLowerInvariant();
        var noPunctuation = new string(lower.Where(c => !Punctuation.Contains(c)).ToArray());
        var noArticles = Articles().Replace(noPunctuation, " ");
        return string.Join(' ', noArticles.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>1 if the normalised prediction equals the normalised gold answer, else 0.</summary>
    public static double ExactMatch(string prediction, string gold) => Normalize(prediction) == Normalize(gold) ? 1.0 : 0.0;

    /// <summary>F1 of the bags of normalised tokens (common tokens counted with multiplicity).</summary>
    public static double TokenF1(string prediction, string gold)
    {
        var p = Normalize(prediction).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var g = Normalize(gold).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var goldCounts = g.GroupBy(t => t).ToDictionary(x => x.Key, x => x.Count());
        int common = p.GroupBy(t => t).Sum(x => Math.Min(x.Count(), goldCounts.GetValueOrDefault(x.Key)));
        if (common == 0) return 0.0;
        double precision = (double)common / p.Length, recall = (double)common / g.Length;
        return 2 * precision * recall / (precision + recall);
    }

    /// <summary>The best exact match over several gold answers.</summary>
    public static double ExactMatch(string prediction, IEnumerable<string> golds) => golds.Max(g => ExactMatch(prediction, g));

    /// <summary>The best token F1 over several gold answers.</summary>
    public static double TokenF1(string prediction, IEnumerable<string> golds) => golds.Max(g => TokenF1(prediction, g));

    [GeneratedRegex(@"\b(a|an|the)\b")]
    private static partial Regex Articles();
}
