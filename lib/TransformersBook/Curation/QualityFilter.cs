namespace TransformersBook.Curation;

/// <summary>
/// Thresholds on <see cref="QualitySignals"/>; a document passes when it breaks no rule. The defaults are Gopher's
/// (Rae et al., 2021): 50 to 100,000 words, mean word length 3 to 10, symbol-to-word ratio at most 0.1, at least 80 %
/// of words alphabetic, at most 30 % duplicate lines; and a C4-like rule that at least half the lines end in
/// punctuation.
/// </summary>
public sealed record QualityFilter
{
    /// <summary>Fewest words.</summary>
    public int MinimumWords { get; init; } = 50;

    /// <summary>Most words.</summary>
    public int MaximumWords { get; init; } = 100_000;

    /// <summary>Smallest mean word length.</summary>
    public double MinimumMeanWordLength { get; init; } = 3;

    /// <summary>Largest mean word length.</summary>
    public double MaximumMeanWordLength { get; init; } = 10;

    /// <summary>Largest symbol-to-word ratio.</summary>
    public double MaximumSymbolToWordRatio { get; init; } = 0.1;

    /// <summary>Smallest fraction of alphabetic words.</summary>
    public double MinimumAlphabeticWordFraction { get; init; } = 0.8;

    /// <summary>Smallest fraction of lines ending in punctuation.</summary>
    public double MinimumPunctuationEndedLineFraction { get; init; } = 0.5;

    /// <summary>Largest fraction of duplicate lines.</summary>
    public double MaximumDuplicateLineFraction { get; init; } = 0.3;

    /// <summary>The names of the rules a document breaks (empty when it passes).</summary>
    public IReadOnlyList<string> Violations(QualitySignals s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var broken = new List<string>();
        if (s.WordCount < MinimumWords || s.WordCount > MaximumWords) broken.Add("word count");
        if (s.MeanWordLength < MinimumMeanWordLength || s.MeanWordLength > MaximumMeanWordLength) broken.Add("mean word length");
        if (s.SymbolToWordRatio > MaximumSymbolToWordRatio) broken.Add("symbol-to-word ratio");
        if (s.AlphabeticWordFraction < MinimumAlphabeticWordFraction) broken.Add("alphabetic words");
        if (s.PunctuationEndedLineFraction < MinimumPunctuationEndedLineFraction) broken.Add("lines ending in punctuation");
        if (s.DuplicateLineFraction > MaximumDuplicateLineFraction) broken.Add("duplicate lines");
        return broken;
    }

    /// <summary>Whether a document breaks no rule.</summary>
    public bool Passes(string text) => Violations(QualitySignals.Of(text)).Count == 0;
}
