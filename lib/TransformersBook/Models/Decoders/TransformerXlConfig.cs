namespace TransformersBook.Models;

/// <summary>The size of a Transformer-XL language model (Dai et al., 2019), optionally with a compressed memory (Rae et al., 2020).</summary>
/// <param name="VocabularySize">Distinct tokens.</param>
/// <param name="Layers">Blocks.</param>
/// <param name="Heads">Attention heads per block.</param>
/// <param name="Width">The residual stream's width d (even).</param>
/// <param name="MemoryLength">M: hidden states of earlier segments each layer keeps, per sequence.</param>
/// <param name="CompressedLength">
/// The Compressive Transformer's second memory: how many compressed states each layer keeps (0: none, plain Transformer-XL).
/// States pushed out of the memory are compressed <paramref name="CompressionRate"/> to one.
/// </param>
/// <param name="CompressionRate">c: how many old states become one compressed state (mean pooling, one of Rae et al.'s compression functions).</param>
/// <param name="AttentionWindow">
/// W &gt; 0: every query sees at most the W nearest keys (itself included), in the segment and the memory alike; with no
/// memory and the whole text as one segment this is a sliding-window model (Beltagy et al., 2020). 0: no limit.
/// </param>
public sealed record TransformerXlConfig(int VocabularySize, int Layers, int Heads, int Width, int MemoryLength, int CompressedLength = 0, int CompressionRate = 1,
    int AttentionWindow = 0)
{
    /// <summary>How far back a query in a segment can see at most: the segment, the memory and the compressed states' span, per layer.</summary>
    public long ReachPerLayer(int segmentLength) => segmentLength + MemoryLength + (long)CompressedLength * CompressionRate;
}
