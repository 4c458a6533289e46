using TorchSharp;
using static TorchSharp.torch;

namespace TransformersBook.Positional;

/// <summary>
/// Rotary position embedding, RoPE (Su et al., 2021, "RoFormer"): each pair of query and key dimensions (2i, 2i + 1)
/// is rotated by the angle p·θ_i, where p is the token's position and θ_i = base^(−2i/d). A rotation keeps lengths,
/// and the dot product of a query rotated by m·θ and a key rotated by n·θ depends only on (n − m)·θ, so attention
/// scores see relative positions although each vector carries its absolute one. Nothing is learned.
/// This uses the paper's interleaved pairs; GPT-NeoX and LLaMA pair dimension i with i + d/2 instead, which is the
/// same map up to a fixed permutation of the dimensions (weights trained with one do not load into the other).
/// </summary>
public sealed class RotaryEmbedding : nn.Module<Tensor, Tensor>
{
    /// <param name="headDim">d: the size of one head's queries and keys; must be even.</param>
    /// <param name="theta">The base of the frequencies (10,000 in the paper).</param>
    public RotaryEmbedding(int headDim, double theta = 10_000.0) : base(nameof(RotaryEmbedding))
    {
        if (headDim <= 0 || headDim % 2 != 0) throw new ArgumentException($"RoPE rotates pairs of dimensions; the head size {headDim} must be positive and even.", nameof(headDim));
        HeadDim = headDim;
        Theta = theta;
    }

    public int HeadDim { get; }

    public double Theta { get; }

    /// <summary>θ_i = base^(−2i/d) for i = 0 … d/2 − 1: pair 0 turns fastest (one radian per position), the last slowest.</summary>
    public Tensor Frequencies(Device? device = null) =>
        pow(Theta, -arange(0, HeadDim, 2, dtype: ScalarType.Float64, device: device) / HeadDim);

    /// <summary>Rotates queries or keys whose first position is 0.</summary>
    /// <param name="x">(batch, heads, time, headDim)</param>
    public override Tensor forward(Tensor x) => Apply(x, 0);

    /// <summary>Rotates queries or keys whose first position is <paramref name="startPosition"/> (e.g. when decoding with a cache).</summary>
    /// <param name="x">(…, time, headDim): any leading dimensions, e.g. (batch, heads, time, headDim).</param>
    /// <param name="startPosition">The position of the first of the <c>time</c> vectors.</param>
    public Tensor Apply(Tensor x, long startPosition)
    {
        if (x.shape[^1] != HeadDim) throw new ArgumentException($"The last dimension is {x.shape[^1]}; this RoPE was built for head size {HeadDim}.", nameof(x));
        using var scope = NewDisposeScope();
        long time = x.shape[^2];
        // Angles in float64: p·θ_i for positions in the tens of thousands would lose digits in float32.
        var positions = arange(startPosition, startPosition + time, dtype: ScalarType.Float64, device: x.device);
        var angles = outer(positions, Frequencies(x.device));                      // (time, d/2)
        var cos = angles.cos().to_type(x.dtype);
        var sin = angles.sin().to_type(x.dtype);
        var pairs = x.reshape(x.shape[..^1].Append(HeadDim / 2).Append(2).ToArray()); // (…, time, d/2, 2)
        var even = pairs.select(-1, 0);
        var odd = pairs.select(-1, 1);
        var rotated = stack(new[] { even * cos - odd * sin, even * sin + odd * cos }, dim: -1);
        return rotated.reshape(x.shape).MoveToOuterDisposeScope();
    }
}
