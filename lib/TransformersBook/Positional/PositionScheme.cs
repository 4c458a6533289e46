namespace TransformersBook.Positional;

/// <summary>How a transformer is told where each token stands (chapter "Positional encodings").</summary>
public enum PositionScheme
{
    /// <summary>No positional information at all ("NoPE"): attention sees a set, only the causal mask orders it.</summary>
    None,

    /// <summary>The fixed sines and cosines of Vaswani et al. (2017), added to the token embeddings.</summary>
    Sinusoidal,

    /// <summary>A learned table of absolute position vectors, added to the token embeddings (GPT, BERT).</summary>
    Learned,

    /// <summary>A learned bias per head and clipped relative offset, added to the attention logits (Shaw et al., 2018; T5).</summary>
    Relative,

    /// <summary>Queries and keys rotated by an angle proportional to their position, RoPE (Su et al., 2021).</summary>
    Rotary,

    /// <summary>A fixed penalty −m_h·distance on the attention logits, ALiBi (Press et al., 2022).</summary>
    Alibi,
}
