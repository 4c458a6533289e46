namespace TransformersBook.Adversarial;

/// <summary>One character edit of a text; <see cref="Character"/> is used by substitutions and insertions only.</summary>
/// <param name="Kind">What the edit does.</param>
/// <param name="Position">The character position it acts on.</param>
/// <param name="Character">The new character (substitute, insert).</param>
public readonly record struct TextEdit(TextEditKind Kind, int Position, char Character = '\0')
{
    /// <summary>Whether the edit can be applied to <paramref name="text"/> (positions in range, a swap of two different characters).</summary>
    public bool IsValidFor(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Kind switch
        {
            TextEditKind.Insert => Position >= 0 && Position <= text.Length,
            TextEditKind.Swap => Position >= 0 && Position + 1 < text.Length && text[Position] != text[Position + 1],
            TextEditKind.Substitute => Position >= 0 && Position < text.Length && text[Position] != Character,
            _ => Position >= 0 && Position < text.Length,
        };
    }

    /// <summary>The edited text.</summary>
    /// <exception cref="ArgumentException">The edit is not valid for the text.</exception>
    public string Apply(string text)
    {
        if (!IsValidFor(text)) throw new ArgumentException($"{this} cannot be applied to a text of length {text.Length}", nameof(text));
        return Kind switch
        {
            TextEditKind.Substitute => string.Concat(text.AsSpan(0, Position), Character.ToString(), text.AsSpan(Position + 1)),
            TextEditKind.Insert => text.Insert(Position, Character.ToString()),
            TextEditKind.Delete => text.Remove(Position, 1),
            _ => string.Concat(text.AsSpan(0, Position), new string(new[] { text[Position + 1], text[Position] }), text.AsSpan(Position + 2)),
        };
    }

    /// <summary>The edit that undoes this one on <c>Apply(before)</c>: <c>e.Inverse(t).Apply(e.Apply(t)) == t</c>.</summary>
    public TextEdit Inverse(string before)
    {
        ArgumentNullException.ThrowIfNull(before);
        return Kind switch
        {
            TextEditKind.Substitute => new TextEdit(TextEditKind.Substitute, Position, before[Position]),
            TextEditKind.Insert => new TextEdit(TextEditKind.Delete, Position),
            TextEditKind.Delete => new TextEdit(TextEditKind.Insert, Position, before[Position]),
            _ => this,
        };
    }

    /// <summary>A short description, such as <c>swap@12</c> or <c>insert@3 'x'</c>.</summary>
    public override string ToString() => Kind is TextEditKind.Substitute or TextEditKind.Insert
        ? $"{Kind.ToString().ToLowerInvariant()}@{Position} '{Character}'"
        : $"{Kind.ToString().ToLowerInvariant()}@{Position}";
}
