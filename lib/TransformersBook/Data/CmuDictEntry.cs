namespace TransformersBook.Data;

/// <summary>One pronunciation from the CMU Pronouncing Dictionary.</summary>
/// <param name="Word">The word, upper case as in the dictionary (e.g. "ABBE").</param>
/// <param name="Variant">0 for the first pronunciation, 1 for "ABBE(1)", and so on.</param>
/// <param name="Phonemes">ARPAbet phonemes; vowels carry stress 0 (none), 1 (primary) or 2 (secondary), e.g. AE0 B EY1.</param>
public sealed record CmuDictEntry(string Word, int Variant, IReadOnlyList<string> Phonemes)
{
    public override string ToString() => $"{Word}{(Variant > 0 ? $"({Variant})" : "")}  {string.Join(' ', Phonemes)}";
}
