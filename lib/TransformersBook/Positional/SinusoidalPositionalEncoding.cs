using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TransformersBook.Positional;

/// <summary>
/// The fixed positional encoding of Vaswani et al. (2017): PE(pos, 2i) = sin(pos / 10000^{2i/d}),
/// PE(pos, 2i+1) = cos(pos / 10000^{2i/d}). Each pair of dimensions is a clock turning at its own rate, with wavelengths
/// from 2π to 10000·2π, so PE(pos + k) is a fixed rotation of PE(pos) and nearby positions get similar codes. Attention
/// by itself is permutation-equivariant; adding these to the token embeddings tells it where each token is.
/// </summary>
public sealed class SinusoidalPositionalEncoding : nn.Module<Tensor, Tensor>
{
    // No table is stored: the encodings are a function of the shape alone and cost time · d_model sines and cosines per
    // call, little beside attention, so there is no buffer to move between devices, save or dispose.
    readonly Dropout dropout;

    /// <param name="width">d_model; must be even, since dimensions come in sine/cosine pairs.</param>
    /// <param name="maxLength">The longest sequence it will be asked to encode.</param>
    /// <param name="dropout">Dropout on the sum of embeddings and encodings, as in the paper (P_drop = 0.1 there).</param>
    public SinusoidalPositionalEncoding(int width, int maxLength, double dropout = 0.0) : base(nameof(SinusoidalPositionalEncoding))
    {
        if (width <= 0 || width % 2 != 0) throw new ArgumentException($"the width must be a positive even number, not {width}.", nameof(width));
        Width = width;
        MaxLength = maxLength;
        this.dropout = nn.Dropout(dropout);
        RegisterComponents();
    }

    /// <summary>d_model.</summary>
    public int Width { get; }

    /// <summary>Positions 0 … MaxLength − 1 can be encoded.</summary>
    public int MaxLength { get; }

    /// <summary>The encodings of positions 0 … length − 1: (length, width), float32.</summary>
    public static Tensor Table(long length, int width, Device? device = null)
    {
        if (width <= 0 || width % 2 != 0) throw new ArgumentException($"the width must be a positive even number, not {width}.", nameof(width));
        using var scope = NewDisposeScope();
        var positions = arange(length, dtype: ScalarType.Float32, device: device).unsqueeze(1);
        // 10000^(−2i/d) as exp(−2i·ln(10000)/d): the same number without a large power in float32.
        var frequencies = exp(arange(0, width, 2, dtype: ScalarType.Float32, device: device) * (-Math.Log(10000.0) / width));
        var angles = positions * frequencies.unsqueeze(0);
        // Interleave: column 2i holds the sine and column 2i+1 the cosine of the same angle.
        return stack(new[] { sin(angles), cos(angles) }, dim: 2).reshape(length, width).MoveToOuterDisposeScope();
    }

    /// <summary>Adds the encoding of each position to the embeddings.</summary>
    /// <param name="x">(batch, time, width) embeddings, time ≤ MaxLength.</param>
    public override Tensor forward(Tensor x)
    {
        long time = x.shape[1];
        if (time > MaxLength) throw new ArgumentException($"a sequence of {time} positions is longer than the {MaxLength} encoded.", nameof(x));
        if (x.shape[2] != Width) throw new ArgumentException($"embeddings of width {x.shape[2]} do not match the encoding's {Width}.", nameof(x));
        using var scope = NewDisposeScope();
        var encodings = Table(time, Width, x.device).to_type(x.dtype);
        return dropout.forward(x + encodings).MoveToOuterDisposeScope();
    }
}
