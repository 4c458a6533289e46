namespace TransformersBook.Models;

/// <summary>
/// The size of an encoder-only transformer in the layout of BERT (Devlin et al., 2019). Names follow the paper where it
/// has them: vocabulary size V, maximum position n_ctx, L layers, A heads, hidden size H (= d_model), feed-forward size
/// 4H.
/// </summary>
/// <param name="VocabularySize">V: distinct tokens, the mask and padding tokens included.</param>
/// <param name="ContextLength">n_ctx: the longest sequence (learned positions stop there; BERT uses 512).</param>
/// <param name="Layers">L: encoder layers.</param>
/// <param name="Heads">A: attention heads per layer.</param>
/// <param name="Width">H: the hidden size d_model.</param>
/// <param name="FeedForwardWidth">d_ff: the feed-forward network's hidden width (4H in BERT).</param>
/// <param name="Dropout">Dropout on embeddings, attention weights and sublayer outputs (0.1 in BERT).</param>
/// <param name="PreNorm">Pre-norm layers and a final LayerNorm after the stack, instead of BERT's post-norm.</param>
/// <param name="PaddingId">The token that pads sequences; no position attends to it. Null: nothing is padding.</param>
/// <param name="Causal">Position t attends to positions 0…t only, so the same stack serves as a left-to-right language
/// model (GPT's mask) with exactly the parameters of its bidirectional twin. False (the default): BERT's full attention.</param>
public sealed record EncoderOnlyConfig(
    int VocabularySize, int ContextLength, int Layers, int Heads, int Width, int FeedForwardWidth,
    double Dropout = 0.0, bool PreNorm = false, long? PaddingId = null, bool Causal = false)
{
    /// <summary>
    /// Parameters from the architecture alone: embeddings V·d + n_ctx·d and their LayerNorm 2d; per layer attention
    /// 4d² + 4d, feed-forward 2·d·d_ff + d_ff + d, two LayerNorms 4d; a final LayerNorm 2d when pre-norm; the output
    /// layer reuses the token embedding and adds only its bias V.
    /// </summary>
    public long ParameterCount
    {
        get
        {
            long d = Width, ff = FeedForwardWidth;
            long layer = (4 * d * d + 4 * d) + (2 * d * ff + ff + d) + 4 * d;
            return (long)VocabularySize * d + (long)ContextLength * d + 2 * d + Layers * layer + (PreNorm ? 2 * d : 0) + VocabularySize;
        }
    }
}
