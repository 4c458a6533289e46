namespace TransformersBook.Models;

/// <summary>
/// The size of a GPT whose feed-forward sublayers are mixtures of experts (<see cref="MoeGpt"/>). The first five
/// fields are <see cref="GptConfig"/>'s (n_vocab, n_ctx, n_layer, n_head, n_embd).
/// </summary>
/// <param name="VocabularySize">n_vocab: number of distinct tokens.</param>
/// <param name="ContextLength">n_ctx: the longest sequence the model sees.</param>
/// <param name="Layers">n_layer: decoder blocks.</param>
/// <param name="Heads">n_head: attention heads per block.</param>
/// <param name="Width">n_embd: the residual stream's width d.</param>
/// <param name="Experts">E: experts per block.</param>
/// <param name="ExpertHidden">h: each expert's hidden width (GPT-2's dense layer has 4d).</param>
/// <param name="TopK">k: experts per token (1 in Switch, 2 in GShard and Mixtral).</param>
/// <param name="CapacityFactor">c: an expert takes at most ⌈c·k·N/E⌉ of a batch's N tokens; null: no limit.</param>
/// <param name="Dropout">Dropout on attention weights and sublayer outputs.</param>
public sealed record MoeGptConfig(int VocabularySize, int ContextLength, int Layers, int Heads, int Width, int Experts,
    int ExpertHidden, int TopK = 1, double? CapacityFactor = null, double Dropout = 0.0)
{
    /// <summary>One expert's parameters: 2·d·h + h + d (two linear layers with biases).</summary>
    public long ExpertParameterCount => 2L * Width * ExpertHidden + ExpertHidden + Width;

    /// <summary>
    /// Parameters the model has: embeddings V·d + n_ctx·d; per block attention 4d² + 4d, two LayerNorms 4d, a router
    /// d·E (no bias) and E experts; a final LayerNorm 2d; the output layer shares the token embedding.
    /// </summary>
    public long ParameterCount =>
        (long)VocabularySize * Width + (long)ContextLength * Width
        + Layers * (4L * Width * Width + 8L * Width + (long)Width * Experts + Experts * ExpertParameterCount) + 2L * Width;

    /// <summary>Parameters one token uses: all of them but the E − k experts it is not sent to in each block.</summary>
    public long ActiveParameterCount => ParameterCount - Layers * (long)(Experts - TopK) * ExpertParameterCount;
}
