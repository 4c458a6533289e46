using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TransformersBook.Adaptation;

/// <summary>
/// The trainable half of LoRA (Hu et al., 2021), shared by <see cref="LoRALinear"/> and <see cref="QLoRALinear"/>: the
/// update (α/r)·B A x with A (r × in) drawn Kaiming-uniform, as a linear layer's weight, and B (out × r) at zero, so
/// the adapted layer starts out computing exactly what the frozen one does.
/// </summary>
public sealed class LowRankUpdate : nn.Module<Tensor, Tensor>
{
    readonly Parameter down;
    readonly Parameter up;

    /// <param name="frozenWeight">The (out, in) weight being adapted: it gives the sizes, dtype and device.</param>
    /// <param name="rank">r: the rank of B A.</param>
    /// <param name="alpha">α: the update is scaled by α/r, so changing r does not change the size of the first steps.</param>
    public LowRankUpdate(Tensor frozenWeight, int rank, double alpha) : base(nameof(LowRankUpdate))
    {
        ArgumentNullException.ThrowIfNull(frozenWeight);
        ArgumentOutOfRangeException.ThrowIfLessThan(rank, 1);
        long outputs = frozenWeight.shape[0], inputs = frozenWeight.shape[1];
        down = nn.Parameter(empty(rank, inputs, dtype: frozenWeight.dtype, device: frozenWeight.device));
        up = nn.Parameter(zeros(outputs, rank, dtype: frozenWeight.dtype, device: frozenWeight.device));
        using (no_grad()) nn.init.kaiming_uniform_(down, a: Math.Sqrt(5));
        Rank = rank;
        Alpha = alpha;
        RegisterComponents();
    }

    /// <summary>r, the rank of the update.</summary>
    public int Rank { get; }

    /// <summary>α, the scale numerator.</summary>
    public double Alpha { get; }

    /// <summary>α/r, the factor on B A.</summary>
    public double Scale => Alpha / Rank;

    /// <summary>A: (r, in), random at the start.</summary>
    public Parameter A => down;

    /// <summary>B: (out, r), zero at the start.</summary>
    public Parameter B => up;

    /// <summary>Parameters trained: r·(in + out).</summary>
    public long TrainableCount => down.numel() + up.numel();

    /// <param name="x">(…, in)</param>
    /// <returns>(…, out): (α/r)·B A x, without forming B A.</returns>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var update = nn.functional.linear(nn.functional.linear(x, down), up);
        return (update * Scale).MoveToOuterDisposeScope();
    }

    /// <summary>The weight update (α/r)·B A, shape (out, in).</summary>
    public Tensor Delta()
    {
        using var scope = NewDisposeScope();
        return (up.matmul(down) * Scale).MoveToOuterDisposeScope();
    }
}
