using static TorchSharp.torch;

namespace TransformersBook.Blocks;

/// <summary>Makes any <see cref="FeedForwardKind"/> at a given width, sized so that all kinds have (nearly) equal parameters.</summary>
public static class FeedForwardVariants
{
    /// <summary>
    /// The hidden width for <paramref name="kind"/>: 4d for the dense kinds (Vaswani et al., 2017); for the gated
    /// kinds 8d/3 rounded to the nearest multiple of <paramref name="multipleOf"/>, because 3·d·(8d/3) = 2·d·4d
    /// (Shazeer, 2020). The rounding (to keep matrix shapes friendly to GPU tiles, as LLaMA does) changes the count by
    /// at most 3·multipleOf/(16d): under 1% for multipleOf = 8 and d ≥ 150.
    /// </summary>
    public static int HiddenSize(FeedForwardKind kind, int width, int multipleOf = 8)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(multipleOf);
        if (!IsGated(kind)) return 4 * width;
        int rounded = (int)Math.Round(8.0 * width / 3.0 / multipleOf, MidpointRounding.AwayFromZero) * multipleOf;
        return Math.Max(multipleOf, rounded);
    }

    public static bool IsGated(FeedForwardKind kind) => kind is FeedForwardKind.SwiGlu or FeedForwardKind.GeGlu;

    /// <summary>The sublayer for <paramref name="kind"/>, with <paramref name="hidden"/> or else <see cref="HiddenSize"/> units.</summary>
    /// <param name="kind">Which variant.</param>
    /// <param name="width">The model width d.</param>
    /// <param name="hidden">The hidden width; null picks the equal-parameter width.</param>
    /// <param name="dropout">Dropout on the output.</param>
    /// <param name="bias">Whether the linear layers have biases.</param>
    public static nn.Module<Tensor, Tensor> Create(FeedForwardKind kind, int width, int? hidden = null, double dropout = 0.0, bool bias = false)
    {
        int size = hidden ?? HiddenSize(kind, width);
        return IsGated(kind)
            ? new GatedFeedForward(width, size, kind, dropout, bias)
            : new FeedForward(width, size, dropout, bias, kind);
    }

    /// <summary>The parameters of the sublayer: 2·d·h for the dense kinds and 3·d·h for the gated ones, plus biases.</summary>
    public static long ParameterCount(FeedForwardKind kind, int width, int hidden, bool bias = false)
    {
        long d = width, h = hidden;
        return IsGated(kind)
            ? 3 * d * h + (bias ? 2 * h + d : 0)
            : 2 * d * h + (bias ? h + d : 0);
    }
}
