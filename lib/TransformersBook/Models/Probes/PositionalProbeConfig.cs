using TransformersBook.Positional;

namespace TransformersBook.Models;

/// <summary>The size of a <see cref="PositionalProbeModel"/> and the way it encodes positions.</summary>
/// <param name="VocabularySize">Distinct input tokens; the model also predicts one of these at every position.</param>
/// <param name="MaxLength">The longest sequence it must run on. Learned tables get this many rows even when training
/// uses shorter sequences: the rows past the training length then stay at their initial values.</param>
/// <param name="Layers">Pre-norm decoder blocks.</param>
/// <param name="Heads">Attention heads per block.</param>
/// <param name="Width">The residual stream's width d_model; Width / Heads must be even for RoPE.</param>
/// <param name="Scheme">How positions enter the model.</param>
/// <param name="MaxRelativeDistance">k for <see cref="PositionScheme.Relative"/>: offsets beyond ±k share one bias.</param>
public sealed record PositionalProbeConfig(
    int VocabularySize, int MaxLength, int Layers, int Heads, int Width, PositionScheme Scheme, int MaxRelativeDistance = 16)
{
    /// <summary>d_k = Width / Heads.</summary>
    public int HeadSize => Width / Heads;
}
