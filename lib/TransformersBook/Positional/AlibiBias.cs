using TorchSharp;
using static TorchSharp.torch;

namespace TransformersBook.Positional;

/// <summary>
/// ALiBi, attention with linear biases (Press, Smith and Lewis, 2022): no position embeddings at all; instead head h
/// adds −m_h·|i − j| to the logit of query i and key j, a penalty growing linearly with distance, each head with its
/// own slope m_h so some heads look far and others near. Nothing is learned, and the bias is defined for any
/// length, which is why ALiBi models extrapolate beyond their training length. With a causal mask only j ≤ i
/// remains, where the bias is the paper's −m_h·(i − j).
/// </summary>
public sealed class AlibiBias : nn.Module<Tensor, Tensor>
{
    readonly double[] slopes;

    /// <param name="heads">H: the number of attention heads, each given a slope.</param>
    public AlibiBias(int heads) : base(nameof(AlibiBias))
    {
        slopes = Slopes(heads);
        Heads = heads;
    }

    public int Heads { get; }

    /// <summary>
    /// The paper's slopes. For H a power of two, the geometric sequence m_h = 2^(−8h/H), h = 1 … H (for 8 heads:
    /// 1/2, 1/4, …, 1/256). Otherwise, with n the largest power of two below H: the n slopes for n heads, then the
    /// odd-numbered ones (h = 1, 3, 5, …) of the slopes for 2n heads until there are H (the rule in the authors' code).
    /// </summary>
    public static double[] Slopes(int heads)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(heads);
        static double[] PowerOfTwo(int n) => Enumerable.Range(1, n).Select(h => Math.Pow(2.0, -8.0 * h / n)).ToArray();
        if ((heads & (heads - 1)) == 0) return PowerOfTwo(heads);
        int closest = 1 << (int)Math.Floor(Math.Log2(heads));
        var extra = PowerOfTwo(2 * closest).Where((_, index) => index % 2 == 0).Take(heads - closest);
        return PowerOfTwo(closest).Concat(extra).ToArray();
    }

    /// <summary>This module's slopes, one per head.</summary>
    public IReadOnlyList<double> HeadSlopes => slopes;

    /// <summary>The bias −m_h·|i − j|, (heads, queryLength, keyLength), with the queries at the last positions of the keys.</summary>
    public Tensor Bias(long queryLength, long keyLength, Device? device = null)
    {
        using var scope = NewDisposeScope();
        var queries = arange(keyLength - queryLength, keyLength, dtype: ScalarType.Float32, device: device).unsqueeze(1);
        var keys = arange(keyLength, dtype: ScalarType.Float32, device: device).unsqueeze(0);
        var distance = (queries - keys).abs();                                                     // (q, k)
        var m = tensor(slopes.Select(s => (float)s).ToArray(), device: device).view(-1, 1, 1);     // (heads, 1, 1)
        return (-m * distance).MoveToOuterDisposeScope();
    }

    /// <summary>Adds the bias to attention logits.</summary>
    /// <param name="logits">(batch, heads, queries, keys) scores before the softmax and before any mask.</param>
    public override Tensor forward(Tensor logits)
    {
        using var scope = NewDisposeScope();
        return (logits + Bias(logits.shape[^2], logits.shape[^1], logits.device).to_type(logits.dtype)).MoveToOuterDisposeScope();
    }
}
