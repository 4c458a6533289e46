namespace TransformersBook.Interpretability;

/// <summary>
/// The size of an <see cref="AttentionOnlyTransformer"/>: the attention-only models in which Elhage et al. (2021) and
/// Olsson et al. (2022) found induction heads.
/// </summary>
/// <param name="Vocabulary">Token ids 0 … Vocabulary−1, inputs and outputs.</param>
/// <param name="Width">d, the width of the residual stream.</param>
/// <param name="Layers">Attention layers (no feed-forward blocks).</param>
/// <param name="Heads">Heads per layer; each has width d / Heads.</param>
/// <param name="MaxLength">The longest input (the learned position table).</param>
public sealed record AttentionOnlyConfig(int Vocabulary, int Width, int Layers, int Heads, int MaxLength)
{
    /// <summary>The width of one head, d / Heads.</summary>
    public int HeadWidth => Width / Heads;
}
