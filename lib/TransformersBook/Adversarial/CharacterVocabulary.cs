namespace TransformersBook.Adversarial;

/// <summary>
/// A character vocabulary for small classifiers and the attacks on them: 0 is padding, 1 is [CLS], 2 stands for any
/// character outside printable ASCII, and the 95 printable ASCII characters (space to '~') are 3–97.
/// </summary>
public static class CharacterVocabulary
{
    /// <summary>The padding id.</summary>
    public const long Padding = 0;

    /// <summary>The [CLS] id every encoded text starts with.</summary>
    public const long Cls = 1;

    /// <summary>The id of every character outside printable ASCII.</summary>
    public const long Unknown = 2;

    /// <summary>The number of ids.</summary>
    public const int Size = 3 + 95;

    /// <summary>The 95 printable ASCII characters, in id order: the alphabet attacks draw new characters from.</summary>
    public static string Printable { get; } = new(Enumerable.Range(32, 95).Select(c => (char)c).ToArray());

    /// <summary>The id of one character.</summary>
    public static long Id(char c) => c >= ' ' && c <= '~' ? 3 + (c - ' ') : Unknown;

    /// <summary>The character of a printable id (3–97).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The id is padding, [CLS] or unknown.</exception>
    public static char Character(long id) =>
        id >= 3 && id < Size ? (char)(' ' + (id - 3)) : throw new ArgumentOutOfRangeException(nameof(id), id, "not a printable character id");

    /// <summary>Runs of white space become one space, the ends are trimmed, and the first <paramref name="maxCharacters"/> are kept.</summary>
    public static string Normalize(string text, int maxCharacters)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new System.Text.StringBuilder();
        bool space = false;
        foreach (char c in text)
        {
            if (char.IsWhiteSpace(c)) { space = result.Length > 0; continue; }
            if (space) { result.Append(' '); space = false; }
            if (result.Length >= maxCharacters) break;
            result.Append(c);
        }
        return result.Length > maxCharacters ? result.ToString(0, maxCharacters) : result.ToString();
    }

    /// <summary>[CLS] and the ids of the first <paramref name="contextLength"/> − 1 characters, padded to <paramref name="contextLength"/>.</summary>
    public static long[] Encode(string text, int contextLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new long[contextLength];
        ids[0] = Cls;
        for (int i = 0; i < Math.Min(text.Length, contextLength - 1); i++) ids[i + 1] = Id(text[i]);
        return ids;
    }
}
