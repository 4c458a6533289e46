namespace TransformersBook.Models;

/// <summary>
/// The size of a GRU encoder-decoder (Cho et al., 2014) with or without additive attention (Bahdanau et al., 2015).
/// Both variants have the same embeddings, recurrent cells and output layer; attention adds only the scoring network.
/// </summary>
/// <param name="SourceVocabularySize">Distinct source tokens (letters), padding included.</param>
/// <param name="TargetVocabularySize">Distinct target tokens (phonemes), padding, start and end included.</param>
/// <param name="EmbeddingSize">m in Bahdanau et al.: the width of the token embeddings.</param>
/// <param name="HiddenSize">n: the width of the encoder and decoder states.</param>
/// <param name="UseAttention">Additive attention over all encoder states; false: the decoder sees only the final
/// encoder state, as in Cho et al. (2014).</param>
/// <param name="AttentionSize">n′: the hidden width of the scoring network; null: <paramref name="HiddenSize"/>.</param>
/// <param name="PaddingId">The token that pads sequences; padded source positions are never attended to.</param>
public sealed record GruSeq2SeqConfig(
    int SourceVocabularySize, int TargetVocabularySize, int EmbeddingSize, int HiddenSize, bool UseAttention,
    int? AttentionSize = null, long PaddingId = 0)
{
    /// <summary>The attention network's hidden width n′.</summary>
    public int ScoringSize => AttentionSize ?? HiddenSize;

    /// <summary>
    /// Parameters from the architecture: embeddings (V_s + V_t)·m; encoder GRU 3n(m + n) + 6n; initial-state layer
    /// n² + n; decoder GRU cell 3n(m + n + n) + 6n; output layer 2n·V_t + V_t; with attention n′(2n + 1).
    /// </summary>
    public long ParameterCount
    {
        get
        {
            long m = EmbeddingSize, n = HiddenSize;
            long embeddings = (SourceVocabularySize + (long)TargetVocabularySize) * m;
            long encoder = 3 * n * (m + n) + 6 * n;
            long initial = n * n + n;
            long decoder = 3 * n * (m + n + n) + 6 * n;
            long output = 2 * n * TargetVocabularySize + TargetVocabularySize;
            long attention = UseAttention ? ScoringSize * (2 * n + 1) : 0;
            return embeddings + encoder + initial + decoder + output + attention;
        }
    }
}
