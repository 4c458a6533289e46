using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TransformersBook.Adaptation;

/// <summary>
/// Low-rank adaptation of one linear layer (Hu et al., 2021): y = W₀x + b + (α/r)·B A x, with the pretrained W₀ and b
/// frozen and only A (r × in) and B (out × r) trained. A starts random (Kaiming-uniform, as a linear layer's weight) and
/// B at zero, so the wrapped layer computes exactly what the pretrained one does until training moves B.
/// <see cref="Merge"/> folds the update into one ordinary linear layer, W = W₀ + (α/r)·B A, which costs nothing extra at inference.
/// </summary>
public sealed class LoRALinear : nn.Module<Tensor, Tensor>
{
    readonly Linear pretrained;
    readonly LowRankUpdate update;

    /// <param name="pretrained">The layer to adapt; its weight and bias are frozen (requires_grad = false).</param>
    /// <param name="rank">r: the rank of the update B A.</param>
    /// <param name="alpha">α: the update is scaled by α/r, so changing r does not change the size of the first steps.</param>
    public LoRALinear(Linear pretrained, int rank, double alpha) : base(nameof(LoRALinear))
    {
        ArgumentNullException.ThrowIfNull(pretrained);
        ArgumentOutOfRangeException.ThrowIfLessThan(rank, 1);
        this.pretrained = pretrained;
        foreach (var p in pretrained.parameters()) p.requires_grad = false;
        update = new LowRankUpdate(pretrained.weight!, rank, alpha);
        RegisterComponents();
    }

    /// <summary>The trainable low-rank update: A, B, r, α and the scale α/r.</summary>
    public LowRankUpdate Update => update;

    /// <summary>The frozen pretrained layer.</summary>
    public Linear Pretrained => pretrained;

    /// <summary>A: (r, in), random at the start.</summary>
    public Parameter A => update.A;

    /// <summary>B: (out, r), zero at the start.</summary>
    public Parameter B => update.B;

    /// <summary>Parameters LoRA trains for this layer: r·(in + out).</summary>
    public long TrainableCount => update.TrainableCount;

    /// <param name="x">(…, in)</param>
    /// <returns>(…, out): W₀x + b + (α/r)·B A x, without forming B A.</returns>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return (pretrained.forward(x) + update.forward(x)).MoveToOuterDisposeScope();
    }

    /// <summary>The weight update (α/r)·B A, shape (out, in).</summary>
    public Tensor Delta() => update.Delta();

    /// <summary>W₀ + (α/r)·B A, detached.</summary>
    public Tensor MergedWeight()
    {
        using var noGrad = no_grad();
        using var delta = Delta();
        return pretrained.weight!.detach() + delta;
    }

    /// <summary>A new, independent linear layer with weight W₀ + (α/r)·B A and the pretrained bias.</summary>
    public Linear Merge()
    {
        var weight = pretrained.weight!;
        var merged = nn.Linear(weight.shape[1], weight.shape[0], hasBias: pretrained.bias is not null, device: weight.device, dtype: weight.dtype);
        using var noGrad = no_grad();
        using var mergedWeight = MergedWeight();
        merged.weight!.copy_(mergedWeight);
        if (pretrained.bias is not null) merged.bias!.copy_(pretrained.bias);
        return merged;
    }
}
