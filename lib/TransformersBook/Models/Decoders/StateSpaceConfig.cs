namespace TransformersBook.Models;

/// <summary>
/// The size of a <see cref="StateSpaceLanguageModel"/>: a stack of pre-norm blocks whose sequence mixer is a selective
/// state-space layer (Gu and Dao, 2023) instead of attention.
/// </summary>
/// <param name="VocabularySize">n_vocab: number of distinct tokens.</param>
/// <param name="Layers">Blocks.</param>
/// <param name="Width">d_model, the residual stream's width (also each mixer's number of channels).</param>
/// <param name="StateSize">N, states per channel (Mamba's d_state, 16 in the paper).</param>
/// <param name="Dropout">Dropout on the embeddings and feed-forward outputs.</param>
public sealed record StateSpaceConfig(int VocabularySize, int Layers, int Width, int StateSize = 16, double Dropout = 0.0)
{
    /// <summary>
    /// Parameters of one selective mixer: W_u, W_z (2d² + 2d), W_Δ (d² + d), W_B, W_C (2dN), W_o (d² + d), A (dN), D (d).
    /// </summary>
    public long MixerParameterCount => 4L * Width * Width + 5L * Width + 3L * Width * StateSize;

    /// <summary>
    /// Parameters the model has: the token embedding V·d (also the output layer), per block the mixer, GPT-2's
    /// feed-forward network 8d² + 5d and two LayerNorms 4d, and a final LayerNorm 2d. There is no position embedding:
    /// the recurrence itself is ordered.
    /// </summary>
    public long ParameterCount =>
        (long)VocabularySize * Width + Layers * (MixerParameterCount + 8L * Width * Width + 5L * Width + 4L * Width) + 2L * Width;

    /// <summary>Bytes of recurrent state while generating: layers · batch · d · N numbers, independent of the sequence length.</summary>
    public long StateBytes(int batch, int bytesPerElement) => checked((long)Layers * batch * Width * StateSize * bytesPerElement);
}
