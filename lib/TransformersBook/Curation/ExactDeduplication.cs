using System.Security.Cryptography;
using System.Text;

namespace TransformersBook.Curation;

/// <summary>
/// Exact deduplication: documents whose normalised text (<see cref="Shingles.Normalise"/>) hashes to the same SHA-256
/// digest are copies; the first of each group is kept. Catches copies that differ only in case, punctuation and
/// whitespace, and nothing else.
/// </summary>
public static class ExactDeduplication
{
    /// <summary>The SHA-256 digest of the normalised text, as hexadecimal.</summary>
    public static string Key(string text) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Shingles.Normalise(text))));

    /// <summary>For each document, the index of the first document with the same key (itself when it is the first).</summary>
    public static int[] FirstCopy(IReadOnlyList<string> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        var result = new int[documents.Count];
        for (int i = 0; i < documents.Count; i++)
        {
            string key = Key(documents[i]);
            if (!first.TryGetValue(key, out int f)) first[key] = f = i;
            result[i] = f;
        }
        return result;
    }

    /// <summary>The indices of the documents kept: the first of each group of exact copies, in order.</summary>
    public static int[] Keep(IReadOnlyList<string> documents) =>
        FirstCopy(documents).Select((f, i) => (f, i)).Where(x => x.f == x.i).Select(x => x.i).ToArray();
}
