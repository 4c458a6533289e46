using System.Text;

namespace TransformersBook.Curation;

/// <summary>
/// Shingles: the sets of overlapping n-grams that set-similarity deduplication compares. Text is normalised first
/// (lower case, every run of non-letter, non-digit characters turned into one space), so punctuation and line breaks do
/// not make two copies of a passage look different.
/// </summary>
public static class Shingles
{
    /// <summary>Lower case, letters and digits kept, every other run of characters one space, trimmed.</summary>
    public static string Normalise(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length);
        bool space = false;
        foreach (char c in text)
        {
            if (char.IsLetterOrDigit(c)) { if (space && builder.Length > 0) builder.Append(' '); builder.Append(char.ToLowerInvariant(c)); space = false; }
            else space = true;
        }
        return builder.ToString();
    }

    /// <summary>The words of the normalised text.</summary>
    public static string[] Words(string text) => Normalise(text).Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The set of word n-grams of the normalised text, each written as its words joined by one space; a text of
    /// fewer than n words gives the whole text as its only shingle (or no shingle when empty).</summary>
    public static HashSet<string> WordNgrams(string text, int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        var words = Words(text);
        var set = new HashSet<string>(StringComparer.Ordinal);
        if (words.Length == 0) return set;
        if (words.Length < n) { set.Add(string.Join(' ', words)); return set; }
        for (int i = 0; i + n <= words.Length; i++) set.Add(string.Join(' ', words, i, n));
        return set;
    }

    /// <summary>The set of character n-grams of the normalised text (spaces included); a text shorter than n gives itself.</summary>
    public static HashSet<string> CharacterNgrams(string text, int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        string normal = Normalise(text);
        var set = new HashSet<string>(StringComparer.Ordinal);
        if (normal.Length == 0) return set;
        if (normal.Length < n) { set.Add(normal); return set; }
        for (int i = 0; i + n <= normal.Length; i++) set.Add(normal.Substring(i, n));
        return set;
    }

    /// <summary>A stable 64-bit FNV-1a hash of a string's UTF-16 code units (the same in every process, unlike
    /// <see cref="string.GetHashCode()"/>).</summary>
    public static ulong StableHash(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        ulong hash = 14695981039346656037UL;
        foreach (char c in text)
        {
            hash ^= (byte)c; hash *= 1099511628211UL;
            hash ^= (byte)(c >> 8); hash *= 1099511628211UL;
        }
        return hash;
    }

    /// <summary>The stable hashes of a set of shingles, sorted and distinct: the form <see cref="Jaccard.OfSorted"/> compares fast.</summary>
    public static ulong[] SortedHashes(IEnumerable<string> shingles) =>
        shingles.Select(StableHash).Distinct().OrderBy(h => h).ToArray();
}
