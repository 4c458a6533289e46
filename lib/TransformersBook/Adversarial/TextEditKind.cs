namespace TransformersBook.Adversarial;

/// <summary>The four character edits of DeepWordBug-style attacks (Gao et al., 2018).</summary>
public enum TextEditKind
{
    /// <summary>Replace the character at the position.</summary>
    Substitute,

    /// <summary>Insert a character before the position (at the end when the position is the length).</summary>
    Insert,

    /// <summary>Remove the character at the position.</summary>
    Delete,

    /// <summary>Exchange the characters at the position and the next one.</summary>
    Swap,
}
