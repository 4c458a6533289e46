namespace TransformersBook.Curation;

/// <summary>
/// Document-level quality signals in the style of Gopher's rules (Rae et al., 2021, appendix A) and C4's line filter
/// (Raffel et al., 2020). Words are whitespace-separated tokens; lines are split on '\n' and blank lines dropped.
/// </summary>
/// <param name="WordCount">Number of whitespace-separated words.</param>
/// <param name="MeanWordLength">Mean characters per word.</param>
/// <param name="SymbolToWordRatio">Occurrences of '#' and of "..." or '…', divided by the word count.</param>
/// <param name="AlphabeticWordFraction">Fraction of words with at least one letter.</param>
/// <param name="PunctuationEndedLineFraction">Fraction of lines ending in '.', '!', '?' or a closing quote (straight or curly).</param>
/// <param name="DuplicateLineFraction">Fraction of lines equal to an earlier line of the document.</param>
public sealed record QualitySignals(int WordCount, double MeanWordLength, double SymbolToWordRatio, double AlphabeticWordFraction,
    double PunctuationEndedLineFraction, double DuplicateLineFraction)
{
    /// <summary>Measures a document.</summary>
    public static QualitySignals Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var lines = text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        int symbols = text.Count(c => c == '#' || c == '…') + CountOf(text, "...");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int duplicates = lines.Count(l => !seen.Add(l));
        return new QualitySignals(
            words.Length,
            words.Length == 0 ? 0 : words.Average(w => (double)w.Length),
            words.Length == 0 ? 0 : (double)symbols / words.Length,
            words.Length == 0 ? 0 : words.Count(w => w.Any(char.IsLetter)) / (double)words.Length,
            lines.Length == 0 ? 0 : lines.Count(l => ".!?\"'\u201D\u2019".Contains(l[^1])) / (double)lines.Length,
            lines.Length == 0 ? 0 : (double)duplicates / lines.Length);
    }

    static int CountOf(string text, string pattern)
    {
        int count = 0;
        for (int i = text.IndexOf(pattern, StringComparison.Ordinal); i >= 0; i = text.IndexOf(pattern, i + pattern.Length, StringComparison.Ordinal)) count++;
        return count;
    }
}
