namespace TransformersBook.Models;

/// <summary>The size of a small transformer text encoder whose first token is [CLS].</summary>
/// <param name="VocabularySize">Distinct tokens, padding and [CLS] included.</param>
/// <param name="ContextLength">The longest token sequence.</param>
/// <param name="Layers">Encoder layers.</param>
/// <param name="Heads">Attention heads per layer.</param>
/// <param name="Width">d_model.</param>
/// <param name="FeedForwardWidth">The feed-forward network's hidden width.</param>
/// <param name="PaddingId">The padding token, which no position attends to.</param>
/// <param name="Dropout">Dropout on attention weights and sublayer outputs.</param>
public sealed record TextEncoderConfig(
    int VocabularySize, int ContextLength, int Layers, int Heads, int Width, int FeedForwardWidth,
    long PaddingId = 0, double Dropout = 0.0);
