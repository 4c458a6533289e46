using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TransformersBook.StateSpace;

/// <summary>
/// A simplified Mamba mixer (Gu and Dao, 2023): a diagonal state-space model whose step Δ_t, input matrix B_t and
/// output matrix C_t are computed from the token itself ("selection"), so it can decide per token what to keep and
/// what to forget. Per channel e and state n:
/// h_t = exp(Δ_t A) h_{t−1} + Δ_t B_t u_t,  y_t = C_t · h_t + D u_t,
/// with u = SiLU(W_u x), Δ = softplus(W_Δ u + b_Δ), B_t = W_B u, C_t = W_C u, and the output gated by SiLU(W_z x) and
/// projected back, W_o (y ⊙ SiLU(z)). Mamba's short causal convolution and its expansion factor are left out; the
/// inner width equals the model width. Because Δ, B, C change with t the layer is no longer a convolution: training
/// runs the recurrence as a sequential scan (<see cref="Scan"/>), which real Mamba replaces by a fused GPU kernel.
/// </summary>
public sealed class SelectiveStateSpace : nn.Module<Tensor, Tensor>
{
    readonly Linear inputProjection;   // W_u and W_z side by side: d → 2d
    readonly Linear stepProjection;    // W_Δ, b_Δ: d → d
    readonly Linear selection;         // W_B and W_C side by side: d → 2N
    readonly Linear outputProjection;  // W_o: d → d
    readonly Parameter logDecay;       // log(−A), (d, N)
    readonly Parameter skip;           // D, (d)

    /// <param name="width">d, the model width (also the inner width here).</param>
    /// <param name="stateSize">N, states per channel.</param>
    /// <param name="minStep">The smallest initial Δ (log-uniform between the two, as in Mamba).</param>
    /// <param name="maxStep">The largest initial Δ.</param>
    public SelectiveStateSpace(int width, int stateSize, double minStep = 1e-3, double maxStep = 1e-1) : base(nameof(SelectiveStateSpace))
    {
        Width = width;
        StateSize = stateSize;
        inputProjection = nn.Linear(width, 2 * width);
        stepProjection = nn.Linear(width, width);
        selection = nn.Linear(width, 2 * stateSize, hasBias: false);
        outputProjection = nn.Linear(width, width);
        logDecay = nn.Parameter(arange(1, stateSize + 1, dtype: ScalarType.Float32).repeat(width, 1).log());   // S4D-Real
        skip = nn.Parameter(ones(width));
        RegisterComponents();
        using var noGrad = no_grad();
        // Mamba's Δ initialisation: softplus(b_Δ) log-uniform in [minStep, maxStep], so b_Δ = log(expm1(Δ)).
        var step = (rand(width) * (Math.Log(maxStep) - Math.Log(minStep)) + Math.Log(minStep)).exp();
        stepProjection.bias!.copy_(step.expm1().log());
        stepProjection.weight!.mul_(0.1);
    }

    /// <summary>d, the model width.</summary>
    public int Width { get; }

    /// <summary>N, states per channel.</summary>
    public int StateSize { get; }

    /// <summary>The projection back onto the residual stream.</summary>
    public Linear OutputProjection => outputProjection;

    /// <summary>
    /// The per-token quantities of the recurrence: the decay exp(Δ_t A) and the input Δ_t B_t u_t, each
    /// (…, d, N), the readout C_t (…, N), the skip term D u_t (…, d) and the gate SiLU(z) (…, d).
    /// Works for (batch, time, d) and for one step (batch, d).
    /// </summary>
    public (Tensor Decay, Tensor Input, Tensor Readout, Tensor Direct, Tensor Gate) Select(Tensor x)
    {
        using var scope = NewDisposeScope();
        var projected = inputProjection.forward(x).chunk(2, dim: -1);
        var u = nn.functional.silu(projected[0]);
        var gate = nn.functional.silu(projected[1]);
        var step = nn.functional.softplus(stepProjection.forward(u));        // Δ_t > 0, one per channel
        var bc = selection.forward(u).chunk(2, dim: -1);                     // B_t, C_t: N each, shared by the channels
        var a = -logDecay.exp();                                             // A < 0, (d, N)
        var deltaU = (step * u).unsqueeze(-1);                               // (…, d, 1)
        var decay = (step.unsqueeze(-1) * a).exp();                          // exp(Δ_t A) ∈ (0, 1)
        var input = deltaU * bc[0].unsqueeze(-2);                            // Δ_t B_t u_t (Euler for B, as in Mamba)
        var direct = skip * u;
        return (decay.MoveToOuterDisposeScope(), input.MoveToOuterDisposeScope(), bc[1].MoveToOuterDisposeScope(),
            direct.MoveToOuterDisposeScope(), gate.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// The sequential scan h_t = decay_t ⊙ h_{t−1} + input_t, y_t = Σ_n readout_{t,n} h_{t,n}.
    /// </summary>
    /// <param name="decay">(batch, time, d, N)</param>
    /// <param name="input">(batch, time, d, N)</param>
    /// <param name="readout">(batch, time, N)</param>
    /// <param name="state">h_0, (batch, d, N); zeros when null.</param>
    /// <returns>y (batch, time, d) and the last state (batch, d, N).</returns>
    public static (Tensor Output, Tensor State) Scan(Tensor decay, Tensor input, Tensor readout, Tensor? state = null)
    {
        using var scope = NewDisposeScope();
        var decays = decay.unbind(1);
        var inputs = input.unbind(1);
        var h = state ?? zeros_like(inputs[0]);
        var states = new Tensor[decays.Length];
        // Only the recurrence itself is sequential (two elementwise operations per token); the readout of all the
        // states is one batched product afterwards. The stacked states, (batch, time, d, N), are what a fused
        // kernel avoids writing to memory.
        for (int t = 0; t < decays.Length; t++)
            states[t] = h = decays[t] * h + inputs[t];
        var y = stack(states, dim: 1).matmul(readout.unsqueeze(-1)).squeeze(-1);
        return (y.MoveToOuterDisposeScope(), h.MoveToOuterDisposeScope());
    }

    /// <param name="x">(batch, time, d)</param>
    /// <returns>(batch, time, d)</returns>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var (decay, input, readout, direct, gate) = Select(x);
        var (y, _) = Scan(decay, input, readout);
        return outputProjection.forward((y + direct) * gate).MoveToOuterDisposeScope();
    }

    /// <summary>The state before the first token: zeros, (batch, d, N), whatever the length of the sequence.</summary>
    public Tensor InitialState(long batch, Device? device = null) => zeros(batch, Width, StateSize, device: device);

    /// <summary>One token of generation: O(d·N) work and memory, however many tokens came before.</summary>
    /// <param name="x">(batch, d)</param>
    /// <param name="state">h_{t−1}, (batch, d, N).</param>
    /// <returns>the output (batch, d) and h_t.</returns>
    public (Tensor Output, Tensor State) Step(Tensor x, Tensor state)
    {
        using var scope = NewDisposeScope();
        var (decay, input, readout, direct, gate) = Select(x);
        var next = decay * state + input;
        var y = next.matmul(readout.unsqueeze(-1)).squeeze(-1);
        var output = outputProjection.forward((y + direct) * gate);
        return (output.MoveToOuterDisposeScope(), next.MoveToOuterDisposeScope());
    }
}
