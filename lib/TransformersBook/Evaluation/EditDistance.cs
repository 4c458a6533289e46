namespace TransformersBook.Evaluation;

/// <summary>
/// Levenshtein distance: the fewest insertions, deletions and substitutions that turn one sequence into another.
/// The book scores pronunciations with it (phoneme error rate = distance ÷ reference length), as speech
/// recognition scores words.
/// </summary>
public static class EditDistance
{
    /// <summary>
    /// The distance between <paramref name="a"/> and <paramref name="b"/>, by dynamic programming over one row of
    /// the (|a| + 1) × (|b| + 1) table: O(|a|·|b|) time, O(|b|) memory.
    /// </summary>
    /// <typeparam name="T">The symbol type, compared with its default equality.</typeparam>
    /// <param name="a">The first sequence (the prediction, when scoring).</param>
    /// <param name="b">The second sequence (the reference, when scoring).</param>
    public static int Levenshtein<T>(IReadOnlyList<T> a, IReadOnlyList<T> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var equal = EqualityComparer<T>.Default;
        var row = Enumerable.Range(0, b.Count + 1).ToArray();     // distances from a[..0] to every prefix of b
        for (int i = 1; i <= a.Count; i++)
        {
            int diagonal = row[0];                              // the table's (i − 1, j − 1) entry
            row[0] = i;
            for (int j = 1; j <= b.Count; j++)
            {
                int substitute = diagonal + (equal.Equals(a[i - 1], b[j - 1]) ? 0 : 1);
                int next = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), substitute);
                diagonal = row[j];
                row[j] = next;
            }
        }
        return row[b.Count];
    }
}
