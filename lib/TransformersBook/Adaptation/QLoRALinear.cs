using TorchSharp;
using TorchSharp.Modules;
using TransformersBook.Quantization;
using static TorchSharp.torch;

namespace TransformersBook.Adaptation;

/// <summary>
/// QLoRA on one linear layer (Dettmers et al., 2023): the pretrained weight is stored in 4-bit NormalFloat
/// (<see cref="NormalFloat4"/>, blocks of 64, optionally double-quantized), dequantized to fp32 in every forward pass,
/// and a trainable low-rank update is added as in <see cref="LoRALinear"/>:
/// y = dequant(W₀)x + b + (α/r)·B A x. Only A and B are parameters; the codes, the block constants and the bias are
/// frozen tensors the module holds (not registered: they stay on the device they were quantized on). A and B start as
/// in <see cref="LoRALinear"/> (A Kaiming-uniform from torch's global generator, B = 0), so the two modules draw the same
/// A after the same seed.
/// </summary>
public sealed class QLoRALinear : nn.Module<Tensor, Tensor>
{
    readonly Tensor? bias;
    readonly Parameter down;
    readonly Parameter up;

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
        var weight = pretrained.weight!;
        long outputs = weight.shape[0], inputs = weight.shape[1];
        Weight = NormalFloat4.Quantize(weight, blockSize, doubleQuantization);
        bias = pretrained.bias;
        down = nn.Parameter(empty(rank, inputs, dtype: weight.dtype, device: weight.device));
        up = nn.Parameter(zeros(outputs, rank, dtype: weight.dtype, device: weight.device));
        using (no_grad()) nn.init.kaiming_uniform_(down, a: Math.Sqrt(5));
        Rank = rank;
        Alpha = alpha;
        RegisterComponents();
    }

    /// <summary>The frozen weight in NF4.</summary>
    public NormalFloat4Tensor Weight { get; }

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

    /// <summary>Parameters QLoRA trains for this layer: r·(in + out).</summary>
    public long TrainableCount => down.numel() + up.numel();

    /// <param name="x">(…, in)</param>
    /// <returns>(…, out): dequant(W₀)x + b + (α/r)·B A x, without forming B A.</returns>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var weight = Weight.Dequantize();
        var update = nn.functional.linear(nn.functional.linear(x, down), up);
        return (nn.functional.linear(x, weight, bias) + update * Scale).MoveToOuterDisposeScope();
    }

    /// <summary>dequant(W₀) + (α/r)·B A, detached: the weight a merged layer would hold.</summary>
    public Tensor MergedWeight()
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        return (Weight.Dequantize() + up.matmul(down) * Scale).MoveToOuterDisposeScope();
    }

    /// <summary>Disposes the NF4 storage with the module.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing) Weight.Dispose();
        base.Dispose(disposing);
    }
}
