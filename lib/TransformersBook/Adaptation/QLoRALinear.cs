using TorchSharp;
using TorchSharp.Modules;
using TransformersBook.Quantization;
using static TorchSharp.torch;

namespace TransformersBook.Adaptation;

/// <summary>
/// QLoRA on one linear layer (Dettmers et al., 2023): the pretrained weight is stored in 4-bit NormalFloat
/// (<see cref="NormalFloat4"/>, blocks of 64, optionally double-quantized), dequantized to fp32 in every forward pass,
/// and a trainable <see cref="LowRankUpdate"/> is added as in <see cref="LoRALinear"/>:
/// y = dequant(W₀)x + b + (α/r)·B A x. Only A and B are parameters; the codes, the block constants and the bias are
/// frozen tensors the module holds (not registered: they stay on the device they were quantized on). A and B start as
/// in <see cref="LoRALinear"/> (A Kaiming-uniform from torch's global generator, B = 0), so the two modules draw the same
/// A after the same seed.
/// </summary>
public sealed class QLoRALinear : nn.Module<Tensor, Tensor>
{
    readonly Tensor? bias;
    readonly LowRankUpdate update;

    /// <param name="pretrained">The layer to quantize and adapt; its parameters are frozen and its weight is not used after quantization.</param>
    /// <param name="rank">r: the rank of the update B A.</param>
    /// <param name="alpha">α: the update is scaled by α/r.</param>
    /// <param name="blockSize">Weights per NF4 absmax block.</param>
    /// <param name="doubleQuantization">Store the block absmax constants as 8-bit codes (blocks of 256).</param>
    public QLoRALinear(Linear pretrained, int rank, double alpha, int blockSize = 64, bool doubleQuantization = true) : base(nameof(QLoRALinear))
    {
        ArgumentNullException.ThrowIfNull(pretrained);
        ArgumentOutOfRangeException.ThrowIfLessThan(rank, 1);
        foreach (var p in pretrained.parameters()) p.requires_grad = false;
        Weight = NormalFloat4.Quantize(pretrained.weight!, blockSize, doubleQuantization);
        bias = pretrained.bias;
        update = new LowRankUpdate(pretrained.weight!, rank, alpha);
        RegisterComponents();
    }

    /// <summary>The frozen weight in NF4.</summary>
    public NormalFloat4Tensor Weight { get; }

    /// <summary>The trainable low-rank update: A, B, r, α and the scale α/r.</summary>
    public LowRankUpdate Update => update;

    /// <summary>A: (r, in), random at the start.</summary>
    public Parameter A => update.A;

    /// <summary>B: (out, r), zero at the start.</summary>
    public Parameter B => update.B;

    /// <summary>Parameters QLoRA trains for this layer: r·(in + out).</summary>
    public long TrainableCount => update.TrainableCount;

    /// <param name="x">(…, in)</param>
    /// <returns>(…, out): dequant(W₀)x + b + (α/r)·B A x, without forming B A.</returns>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var weight = Weight.Dequantize();
        return (nn.functional.linear(x, weight, bias) + update.forward(x)).MoveToOuterDisposeScope();
    }

    /// <summary>dequant(W₀) + (α/r)·B A, detached: the weight a merged layer would hold.</summary>
    public Tensor MergedWeight()
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        return (Weight.Dequantize() + update.Delta()).MoveToOuterDisposeScope();
    }

    /// <summary>Disposes the NF4 storage with the module.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing) Weight.Dispose();
        base.Dispose(disposing);
    }
}
