using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TransformersBook.StateSpace;

/// <summary>
/// A diagonal linear state-space layer in the style of S4D (Gu et al., 2022) and the LRU (Orvieto et al., 2023), with
/// a real negative diagonal as in S4D-Real: every one of the d channels is its own single-input single-output system
/// x' = A x + B u, y = C x + D u with N states, discretised by zero-order hold with a learned step Δ,
/// Ā = exp(ΔA), B̄ = (Ā − 1)/A · B. Being linear and time-invariant, it can be computed two equivalent ways:
/// as a recurrence x_t = Ā x_{t−1} + B̄ u_t (O(N) state per channel, for generation) or as a causal convolution with
/// the kernel K = (C B̄, C Ā B̄, C Ā² B̄, …) (parallel over time, for training). <see cref="forward"/> uses the convolution.
/// </summary>
public sealed class DiagonalStateSpace : nn.Module<Tensor, Tensor>
{
    readonly Parameter logStep;      // log Δ, one step per channel: (d)
    readonly Parameter logDecay;     // log(−A): A = −exp(logDecay) stays negative, so every mode decays: (d, N)
    readonly Parameter inputMatrix;  // B: (d, N)
    readonly Parameter outputMatrix; // C: (d, N)
    readonly Parameter skip;         // D: (d)

    /// <param name="channels">d, independent channels (the model width).</param>
    /// <param name="stateSize">N, states per channel.</param>
    /// <param name="minStep">The smallest initial Δ (Δ is drawn log-uniformly, as in S4D and Mamba).</param>
    /// <param name="maxStep">The largest initial Δ.</param>
    public DiagonalStateSpace(int channels, int stateSize, double minStep = 1e-3, double maxStep = 1e-1) : base(nameof(DiagonalStateSpace))
    {
        Channels = channels;
        StateSize = stateSize;
        // S4D-Real: A_n = −(n + 1), timescales spread over an order of magnitude.
        var decay = arange(1, stateSize + 1, dtype: ScalarType.Float32).repeat(channels, 1);
        logStep = nn.Parameter(rand(channels) * (Math.Log(maxStep) - Math.Log(minStep)) + Math.Log(minStep));
        logDecay = nn.Parameter(decay.log());
        inputMatrix = nn.Parameter(ones(channels, stateSize));
        outputMatrix = nn.Parameter(randn(channels, stateSize) / Math.Sqrt(stateSize));
        skip = nn.Parameter(ones(channels));
        RegisterComponents();
    }

    /// <summary>d, the number of channels.</summary>
    public int Channels { get; }

    /// <summary>N, the states per channel.</summary>
    public int StateSize { get; }

    /// <summary>log Δ, (d).</summary>
    public Parameter LogStep => logStep;

    /// <summary>log(−A), (d, N).</summary>
    public Parameter LogDecay => logDecay;

    /// <summary>B, (d, N).</summary>
    public Parameter InputMatrix => inputMatrix;

    /// <summary>C, (d, N).</summary>
    public Parameter OutputMatrix => outputMatrix;

    /// <summary>D, the direct path from input to output, (d).</summary>
    public Parameter Skip => skip;

    /// <summary>The zero-order-hold discretisation: Ā = exp(ΔA) and B̄ = (Ā − 1)/A · B, each (d, N).</summary>
    public (Tensor StateDecay, Tensor InputGain) Discretize()
    {
        using var scope = NewDisposeScope();
        var a = -logDecay.exp();                       // A < 0
        var deltaA = logStep.exp().unsqueeze(1) * a;   // ΔA, (d, N)
        var decay = deltaA.exp();
        // (exp(ΔA) − 1)/A = Δ · expm1(ΔA)/(ΔA): expm1 keeps it accurate when ΔA is tiny.
        var gain = deltaA.expm1() / a * inputMatrix;
        return (decay.MoveToOuterDisposeScope(), gain.MoveToOuterDisposeScope());
    }

    /// <summary>The convolution kernel K_l = Σ_n C_n Ā_n^l B̄_n for l = 0 … length − 1, (d, length).</summary>
    public Tensor Kernel(long length)
    {
        using var scope = NewDisposeScope();
        var (decay, gain) = Discretize();
        var lags = arange(length, dtype: ScalarType.Float32, device: decay.device);
        // Ā^l = exp(l · log Ā), computed for all lags at once: (d, N, length).
        var powers = (decay.log().unsqueeze(2) * lags).exp();
        return ((outputMatrix * gain).unsqueeze(2) * powers).sum(dim: 1).MoveToOuterDisposeScope();
    }

    /// <summary>The convolutional form: y_t = Σ_{s≤t} K_{t−s} u_s + D u_t, for all t in parallel.</summary>
    /// <param name="input">(batch, time, d)</param>
    /// <returns>(batch, time, d)</returns>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        long time = input.shape[1];
        var kernel = Kernel(time);                                              // (d, T)
        var positions = arange(time, dtype: ScalarType.Int64, device: input.device);
        var lag = positions.unsqueeze(1) - positions.unsqueeze(0);              // t − s, (T, T)
        // A Toeplitz matrix per channel, zero above the diagonal (causality): O(T²d); S4 uses an FFT for O(T log T · d).
        var toeplitz = kernel.index_select(1, lag.clamp_min(0).flatten()).view(Channels, time, time) * (lag >= 0).to_type(kernel.dtype);
        var y = einsum("dts,bsd->btd", toeplitz, input) + skip * input;
        return y.MoveToOuterDisposeScope();
    }

    /// <summary>The recurrent form, one step at a time over the whole sequence (the same numbers as <see cref="forward"/>).</summary>
    /// <param name="input">(batch, time, d)</param>
    public Tensor ForwardRecurrent(Tensor input)
    {
        using var scope = NewDisposeScope();
        var state = InitialState(input.shape[0], input.device);
        var outputs = new List<Tensor>();
        for (long t = 0; t < input.shape[1]; t++)
        {
            var (y, next) = Step(input.select(1, t), state);
            outputs.Add(y);
            state = next;
        }
        return stack(outputs, dim: 1).MoveToOuterDisposeScope();
    }

    /// <summary>The state before the first token: zeros, (batch, d, N) — its size does not depend on the sequence length.</summary>
    public Tensor InitialState(long batch, Device? device = null) => zeros(batch, Channels, StateSize, device: device);

    /// <summary>One recurrent step: x_t = Ā x_{t−1} + B̄ u_t, y_t = C x_t + D u_t.</summary>
    /// <param name="input">u_t, (batch, d).</param>
    /// <param name="state">x_{t−1}, (batch, d, N).</param>
    /// <returns>y_t (batch, d) and x_t (batch, d, N).</returns>
    public (Tensor Output, Tensor State) Step(Tensor input, Tensor state)
    {
        using var scope = NewDisposeScope();
        var (decay, gain) = Discretize();
        var next = decay * state + gain * input.unsqueeze(2);
        var y = (outputMatrix * next).sum(dim: 2) + skip * input;
        return (y.MoveToOuterDisposeScope(), next.MoveToOuterDisposeScope());
    }
}
