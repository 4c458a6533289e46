namespace TransformersBook.Models;

/// <summary>
/// The size of an encoder-decoder transformer (Vaswani et al., 2017). Names follow the paper: d_model, h, N, d_ff,
/// P_drop.
/// </summary>
/// <param name="SourceVocabularySize">Distinct source tokens.</param>
/// <param name="TargetVocabularySize">Distinct target tokens.</param>
/// <param name="Width">d_model.</param>
/// <param name="Heads">h.</param>
/// <param name="EncoderLayers">N for the encoder.</param>
/// <param name="DecoderLayers">N for the decoder.</param>
/// <param name="FeedForwardWidth">d_ff.</param>
/// <param name="MaxLength">The longest source or target sequence (positions encoded).</param>
/// <param name="Dropout">P_drop.</param>
/// <param name="PreNorm">Pre-norm layers and a final LayerNorm after each stack, instead of the paper's post-norm.</param>
/// <param name="PaddingId">The token that pads sequences, in both vocabularies; source positions holding it are never
/// attended to.</param>
public sealed record TransformerSeq2SeqConfig(
    int SourceVocabularySize, int TargetVocabularySize, int Width, int Heads, int EncoderLayers, int DecoderLayers,
    int FeedForwardWidth, int MaxLength, double Dropout = 0.1, bool PreNorm = false, long PaddingId = 0)
{
    /// <summary>The paper's base model: d_model 512, h 8, N 6, d_ff 2048, P_drop 0.1 (44.1 M parameters besides embeddings and output layer; the paper's 65 M includes a shared 37k-token vocabulary).</summary>
    public static TransformerSeq2SeqConfig Base(int sourceVocabularySize, int targetVocabularySize, int maxLength = 512) =>
        new(sourceVocabularySize, targetVocabularySize, 512, 8, 6, 6, 2048, maxLength);

    /// <summary>
    /// Parameters from the architecture alone: embeddings (V_s + V_t)·d; per encoder layer attention 4d² + 4d,
    /// feed-forward 2·d·d_ff + d_ff + d, two LayerNorms 4d; per decoder layer two attentions, the feed-forward network and
    /// three LayerNorms; a final LayerNorm 2d per stack when pre-norm; the output layer d·V_t + V_t.
    /// </summary>
    public long ParameterCount
    {
        get
        {
            long d = Width, ff = FeedForwardWidth;
            long attention = 4 * d * d + 4 * d;
            long feedForward = 2 * d * ff + ff + d;
            long encoderLayer = attention + feedForward + 4 * d;
            long decoderLayer = 2 * attention + feedForward + 6 * d;
            long finalNorms = PreNorm ? 2 * (2 * d) : 0;
            return (SourceVocabularySize + (long)TargetVocabularySize) * d + EncoderLayers * encoderLayer + DecoderLayers * decoderLayer
                + finalNorms + d * TargetVocabularySize + TargetVocabularySize;
        }
    }
}
