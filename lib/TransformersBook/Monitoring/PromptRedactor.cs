using System.Text.RegularExpressions;

namespace TransformersBook.Monitoring;

/// <summary>
/// Removes personal data from text before it is logged: e-mail addresses, card-like runs of 13 to 19 digits (spaces or
/// dashes allowed between them), US social security numbers, phone numbers (an optional +country code, then 9 to 12
/// digits in groups), IPv4 addresses and bearer-style secrets (<c>sk-…</c>, <c>api_key=…</c>). Each match becomes a
/// placeholder naming its kind, e.g. <c>[EMAIL]</c>, so a log still shows that something was there. The rules run in
/// that order (a card number is never half-eaten as a phone number); everything else is kept as it was.
/// </summary>
public static class PromptRedactor
{
    static readonly (string Kind, Regex Pattern)[] Rules =
    {
        ("EMAIL", new Regex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}", RegexOptions.CultureInvariant)),
        ("SECRET", new Regex(@"\b(?:sk|pk|ghp|xox[bp])[-_][A-Za-z0-9_\-]{12,}|\b(?:api[_-]?key|token|password|secret)\s*[:=]\s*\S+", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)),
        ("CARD", new Regex(@"(?<!\d)\d(?:[ \-]?\d){12,18}(?!\d)", RegexOptions.CultureInvariant)),
        ("SSN", new Regex(@"(?<!\d)\d{3}-\d{2}-\d{4}(?!\d)", RegexOptions.CultureInvariant)),
        ("IP", new Regex(@"(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![\d.])", RegexOptions.CultureInvariant)),
        ("PHONE", new Regex(@"(?<![\w\d])(?:\+\d{1,3}[ \-.]?)?(?:\(\d{2,4}\)[ \-.]?)?\d{2,4}(?:[ \-.]\d{2,4}){1,3}(?![\w\d])", RegexOptions.CultureInvariant)),
    };

    /// <summary>The placeholder kinds, in the order the rules run.</summary>
    public static IReadOnlyList<string> Kinds { get; } = Rules.Select(r => r.Kind).ToArray();

    /// <summary>The text with every match replaced by <c>[KIND]</c>.</summary>
    /// <param name="text">Text that may hold personal data.</param>
    public static string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var (kind, pattern) in Rules)
            text = pattern.Replace(text, m => IsPhoneLike(kind, m.Value) ? $"[{kind}]" : m.Value);
        return text;
    }

    /// <summary>How many matches of each kind the text holds (redacting them in order, as <see cref="Redact"/> does).</summary>
    /// <param name="text">Text that may hold personal data.</param>
    public static IReadOnlyDictionary<string, int> Count(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var counts = new Dictionary<string, int>();
        foreach (var (kind, pattern) in Rules)
        {
            int found = 0;
            text = pattern.Replace(text, m =>
            {
                if (!IsPhoneLike(kind, m.Value)) return m.Value;
                found++;
                return $"[{kind}]";
            });
            if (found > 0) counts[kind] = found;
        }
        return counts;
    }

    /// <summary>A phone match needs 9 to 12 digits in all, so that years ("1790 and 1791") and short numbers are kept.</summary>
    static bool IsPhoneLike(string kind, string match)
    {
        if (kind != "PHONE") return true;
        int digits = match.Count(char.IsAsciiDigit);
        return digits is >= 9 and <= 12;
    }
}
