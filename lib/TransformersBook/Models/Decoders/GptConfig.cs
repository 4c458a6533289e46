using TransformersBook.Blocks;

namespace TransformersBook.Models;

/// <summary>
/// The size of a GPT (Radford et al., 2018; 2019). Names follow the papers: n_vocab, n_ctx, n_layer, n_head, n_embd.
/// </summary>
/// <param name="VocabularySize">n_vocab: number of distinct tokens.</param>
/// <param name="ContextLength">n_ctx: the longest sequence the model sees (learned positions stop there).</param>
/// <param name="Layers">n_layer: decoder blocks.</param>
/// <param name="Heads">n_head: attention heads per block.</param>
/// <param name="Width">n_embd: the residual stream's width d_model.</param>
/// <param name="Dropout">Dropout on attention weights and sublayer outputs (0 for small data is often worse than 0.1–0.2).</param>
/// <param name="FeedForwardKind">
/// The feed-forward sublayer of every block: GELU as in GPT-2 by default; the gated kinds (Shazeer, 2020) get the
/// hidden width 8d/3 (<see cref="FeedForwardVariants.HiddenSize"/>) so that the parameter count stays that of GPT-2's.
/// </param>
public sealed record GptConfig(int VocabularySize, int ContextLength, int Layers, int Heads, int Width, double Dropout = 0.0,
    FeedForwardKind FeedForwardKind = FeedForwardKind.Gelu)
{
    /// <summary>nanoGPT's character-level Shakespeare model: 6 layers, 6 heads, 384 wide, context 256 (≈10.7 M parameters).</summary>
    public static GptConfig NanoCharacterLevel(int vocabularySize) => new(vocabularySize, 256, 6, 6, 384, 0.2);

    /// <summary>The hidden width of each block's feed-forward sublayer: 4d, or 8d/3 rounded to a multiple of 8 for the gated kinds.</summary>
    public int FeedForwardHidden => FeedForwardVariants.HiddenSize(FeedForwardKind, Width);

    /// <summary>
    /// Parameters of one block's feed-forward sublayer, with biases: 8d² + 5d for GELU and ReLU (h = 4d),
    /// 3dh + 2h + d for the gated kinds.
    /// </summary>
    public long FeedForwardParameterCount => FeedForwardVariants.ParameterCount(FeedForwardKind, Width, FeedForwardHidden, bias: true);

    /// <summary>
    /// Parameters the model has, from the architecture alone: embeddings V·d + n_ctx·d, per block 12d² + 13d
    /// (attention 4d² + 4d, feed-forward 8d² + 5d, two LayerNorms 4d) with GPT-2's feed-forward sublayer, or
    /// <see cref="FeedForwardParameterCount"/> in its place; a final LayerNorm 2d; the output layer shares the token
    /// embedding (weight tying).
    /// </summary>
    public long ParameterCount =>
        (long)VocabularySize * Width + (long)ContextLength * Width
        + Layers * (4L * Width * Width + 4L * Width + FeedForwardParameterCount + 4L * Width) + 2L * Width;
}
