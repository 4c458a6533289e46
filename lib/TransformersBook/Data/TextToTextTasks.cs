using System.Text.RegularExpressions;

namespace TransformersBook.Data;

/// <summary>
/// Small tasks written T5-style as prefixed text (Raffel et al., 2020), so one encoder-decoder with one vocabulary can
/// learn all of them: "phonemes: knight" → "N AY T" (CMUdict), "case: call me ishmael." → "Call me Ishmael."
/// (case restoration), "reverse: abc" → "cba".
/// </summary>
public static partial class TextToTextTasks
{
    /// <summary>Grapheme to phoneme: the lower-cased word in, its phonemes (stress digits removed) separated by spaces out.</summary>
    public static TextToTextExample Phonemes(string word, IEnumerable<string> phonemes) =>
        new("phonemes", "phonemes: " + word.ToLowerInvariant(), string.Join(" ", phonemes.Select(p => p.TrimEnd('0', '1', '2'))));

    /// <summary>Case restoration: the lower-cased sentence in, the sentence as written out.</summary>
    public static TextToTextExample Case(string sentence) => new("case", "case: " + sentence.ToLowerInvariant(), sentence);

    /// <summary>Reversal: a word in, its letters in reverse order out.</summary>
    public static TextToTextExample Reverse(string word) => new("reverse", "reverse: " + word, new string(word.Reverse().ToArray()));

    /// <summary>
    /// Sentences of a text, whitespace collapsed, split after '.', '!' or '?' followed by a space; keeps those of
    /// <paramref name="shortest"/> to <paramref name="longest"/> characters made of printable ASCII only, in text order,
    /// without duplicates.
    /// </summary>
    public static IReadOnlyList<string> Sentences(string text, int shortest, int longest)
    {
        var flat = Whitespace().Replace(text, " ");
        return SentenceEnd().Split(flat)
            .Select(s => s.Trim())
            .Where(s => s.Length >= shortest && s.Length <= longest && s.All(c => c >= ' ' && c <= '~') && char.IsUpper(s[0]))
            .Distinct()
            .ToList();
    }

    /// <summary>A seeded mixture: <paramref name="count"/> examples, each from a task chosen uniformly at random and an
    /// example of it chosen uniformly at random.</summary>
    public static List<TextToTextExample> Mix(IReadOnlyList<IReadOnlyList<TextToTextExample>> tasks, int count, Random random)
    {
        var mixed = new List<TextToTextExample>(count);
        for (int i = 0; i < count; i++)
        {
            var task = tasks[random.Next(tasks.Count)];
            mixed.Add(task[random.Next(task.Count)]);
        }
        return mixed;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"(?<=[.!?])\s+")]
    private static partial Regex SentenceEnd();
}
