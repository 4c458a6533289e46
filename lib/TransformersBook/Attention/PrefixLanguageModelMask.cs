using TorchSharp;
using static TorchSharp.torch;

namespace TransformersBook.Attention;

/// <summary>
/// The mask of a prefix language model (Raffel et al., 2020, §3.2.1; Dong et al., 2019): one stack of layers that
/// reads a prefix (the input) bidirectionally and continues it causally, so a decoder-only model gets an encoder's view
/// of its input. True = this query may attend to this key, as in <see cref="AttentionMasks"/>.
/// </summary>
public static class PrefixLanguageModelMask
{
    /// <summary>Query i may attend to key j when j ≤ i (causal) or when j lies in the prefix (j &lt; prefix length).</summary>
    /// <param name="prefixLength">Positions 0 … prefixLength − 1 form the prefix; 0 gives the causal mask, length the full one.</param>
    /// <param name="length">The sequence length.</param>
    /// <param name="device">Where to create it.</param>
    /// <returns>(length, length), boolean.</returns>
    public static Tensor Create(long prefixLength, long length, Device? device = null)
    {
        if (prefixLength < 0 || prefixLength > length)
            throw new ArgumentOutOfRangeException(nameof(prefixLength), $"between 0 and the length {length}, not {prefixLength}.");
        using var scope = NewDisposeScope();
        var keyInPrefix = (arange(length, dtype: ScalarType.Int64, device: device) < prefixLength).unsqueeze(0);
        return AttentionMasks.Causal(length, device).logical_or(keyInPrefix).MoveToOuterDisposeScope();
    }
}
