using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TransformersBook.Convolutions;

/// <summary>
/// The Hyena operator (Poli et al., 2023), a drop-in replacement for causal self-attention built from two cheap
/// pieces interleaved: elementwise gating and long causal convolutions. The input is projected into N + 1 streams
/// v, x¹ … x^N (each smoothed by a short depthwise convolution), then z⁰ = v and z^{n+1} = x^{n+1} ⊙ (h^n ∗ z^n) for
/// n = 0 … N − 1, and the output is a projection of z^N. The filters h^n are as long as the sequence but have few
/// parameters: each is a small network of the position t (an "implicit" filter, sin activations over sinusoidal
/// features of t), multiplied by a decaying window exp(−α t) whose rate differs between channels. The convolutions run
/// in O(L log L) by FFT (<see cref="LongConvolution"/>), against attention's O(L²).
/// </summary>
public sealed class HyenaOperator : nn.Module<Tensor, Tensor>
{
    readonly Linear inputProjection;
    readonly Conv1d shortFilter;
    readonly Linear filterIn;
    readonly Linear filterHidden;
    readonly Linear filterOut;
    readonly Parameter filterBias;   // the direct path of each long convolution: (order, width)
    readonly Linear outputProjection;
    readonly double frequency;

    /// <param name="width">d, the model width.</param>
    /// <param name="order">N, how many gated long convolutions (Hyena uses 2).</param>
    /// <param name="filterWidth">Hidden width of the network that makes the filters.</param>
    /// <param name="positionalFeatures">Sinusoidal features of t the filter network reads (odd: t itself, then sine–cosine pairs).</param>
    /// <param name="frequency">ω of the filter network's sin activations.</param>
    public HyenaOperator(int width, int order = 2, int filterWidth = 32, int positionalFeatures = 9, double frequency = 1.0)
        : base(nameof(HyenaOperator))
    {
        if (order < 1) throw new ArgumentOutOfRangeException(nameof(order), "Hyena needs at least one long convolution.");
        if (positionalFeatures < 3 || positionalFeatures % 2 == 0)
            throw new ArgumentOutOfRangeException(nameof(positionalFeatures), "use an odd number ≥ 3: t, then sine–cosine pairs.");
        Width = width;
        Order = order;
        int streams = (order + 1) * width;
        inputProjection = nn.Linear(width, streams);
        shortFilter = nn.Conv1d(streams, streams, kernel_size: 3, padding: 2, groups: streams);
        filterIn = nn.Linear(positionalFeatures, filterWidth);
        filterHidden = nn.Linear(filterWidth, filterWidth);
        filterOut = nn.Linear(filterWidth, order * width);
        filterBias = nn.Parameter(randn(order, width) * 0.02);
        outputProjection = nn.Linear(width, width);
        PositionalFeatures = positionalFeatures;
        this.frequency = frequency;
        RegisterComponents();
    }

    /// <summary>d, the model width.</summary>
    public int Width { get; }

    /// <summary>N, the number of gated long convolutions.</summary>
    public int Order { get; }

    /// <summary>How many sinusoidal features of the position the filter network reads.</summary>
    public int PositionalFeatures { get; }

    /// <summary>The long filters for a sequence of <paramref name="length"/> steps: (order, width, length).</summary>
    public Tensor Filters(long length)
    {
        using var scope = NewDisposeScope();
        var device = filterIn.weight!.device;
        var t = arange(length, dtype: ScalarType.Float32, device: device);
        var features = new List<Tensor> { (t / Math.Max(1, length - 1)).unsqueeze(1) };
        for (int k = 1; k <= (PositionalFeatures - 1) / 2; k++)
        {
            var angle = t * (2 * Math.PI * k / length);
            features.Add(angle.sin().unsqueeze(1));
            features.Add(angle.cos().unsqueeze(1));
        }
        var z = cat(features, dim: 1);                                            // (length, features)
        var hidden = (frequency * filterIn.forward(z)).sin();
        hidden = (frequency * filterHidden.forward(hidden)).sin();
        var filters = filterOut.forward(hidden).transpose(0, 1);                  // (order · width, length)
        // Windows exp(−α t) from a fast decay (a local filter) to a slow one (a long-range filter), α log-uniform.
        var decayRates = exp(linspace(Math.Log(0.3), Math.Log(0.003), Order * Width, device: device)).unsqueeze(1);
        var window = (-decayRates * t.unsqueeze(0)).exp();
        return (filters * window).view(Order, Width, length).MoveToOuterDisposeScope();
    }

    /// <param name="x">(batch, length, width)</param>
    /// <returns>(batch, length, width); position t depends only on positions ≤ t.</returns>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long length = x.shape[1];
        var streams = inputProjection.forward(x).transpose(1, 2);                // (batch, (N+1)d, L)
        streams = shortFilter.forward(streams).narrow(2, 0, length);               // causal: the first L outputs
        var parts = streams.split(Width, dim: 1);                                  // v, x¹ … x^N, each (batch, d, L)
        var filters = Filters(length);
        var z = parts[0];
        for (int n = 0; n < Order; n++)
        {
            var convolved = LongConvolution.Apply(z, filters[n]) + filterBias[n].unsqueeze(1) * z;
            z = parts[n + 1] * convolved;
        }
        return outputProjection.forward(z.transpose(1, 2)).MoveToOuterDisposeScope();
    }
}
