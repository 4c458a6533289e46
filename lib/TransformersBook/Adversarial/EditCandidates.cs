namespace TransformersBook.Adversarial;

/// <summary>Random candidate edits for a search: a position, a kind and (where needed) a new character, all uniform.</summary>
public static class EditCandidates
{
    /// <summary>
    /// Up to <paramref name="count"/> distinct edits valid for <paramref name="text"/>, kinds drawn uniformly from
    /// <paramref name="kinds"/>, positions uniformly, new characters uniformly from <paramref name="alphabet"/>.
    /// </summary>
    /// <param name="text">The text to edit.</param>
    /// <param name="count">How many candidates.</param>
    /// <param name="random">The random source.</param>
    /// <param name="alphabet">The characters a substitution or insertion may write.</param>
    /// <param name="kinds">The edit kinds allowed (all four when null).</param>
    public static IReadOnlyList<TextEdit> Sample(string text, int count, Random random, string alphabet, IReadOnlyList<TextEditKind>? kinds = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentException.ThrowIfNullOrEmpty(alphabet);
        kinds ??= Enum.GetValues<TextEditKind>();
        var chosen = new HashSet<TextEdit>();
        for (int attempt = 0; chosen.Count < count && attempt < 20 * count; attempt++)
        {
            var kind = kinds[random.Next(kinds.Count)];
            int position = random.Next(kind == TextEditKind.Insert ? text.Length + 1 : Math.Max(1, text.Length));
            char c = kind is TextEditKind.Substitute or TextEditKind.Insert ? alphabet[random.Next(alphabet.Length)] : '\0';
            var edit = new TextEdit(kind, position, c);
            if (edit.IsValidFor(text)) chosen.Add(edit);
        }
        return chosen.ToList();
    }
}
