using TorchSharp;
using static TorchSharp.torch;

namespace TransformersBook.Training;

/// <summary>
/// Cross-entropy against smoothed targets (Szegedy et al., 2016), used with ε = 0.1 by Vaswani et al. (2017): the
/// target distribution puts 1 − ε on the true class and spreads ε uniformly over all K classes, so
/// loss = (1 − ε)·(−log p_y) + ε·mean_k(−log p_k). It stops the model from driving logits to infinity to reach
/// probability 1; perplexity gets worse, accuracy and BLEU get better. Equal to PyTorch's
/// <c>cross_entropy(..., label_smoothing: ε)</c>.
/// </summary>
public sealed class LabelSmoothingLoss : nn.Module<Tensor, Tensor, Tensor>
{
    /// <param name="smoothing">ε, in [0, 1]; 0 is plain cross-entropy.</param>
    /// <param name="ignoreIndex">Targets with this value (padding) do not count.</param>
    public LabelSmoothingLoss(double smoothing = 0.1, long ignoreIndex = -100) : base(nameof(LabelSmoothingLoss))
    {
        if (smoothing < 0 || smoothing > 1) throw new ArgumentOutOfRangeException(nameof(smoothing), "ε is a probability.");
        Smoothing = smoothing;
        IgnoreIndex = ignoreIndex;
        RegisterComponents();
    }

    /// <summary>ε.</summary>
    public double Smoothing { get; }

    public long IgnoreIndex { get; }

    /// <param name="logits">(..., classes)</param>
    /// <param name="targets">(...) class indices, int64.</param>
    /// <returns>The mean loss over targets that are not ignored (0 when all are).</returns>
    public override Tensor forward(Tensor logits, Tensor targets)
    {
        using var scope = NewDisposeScope();
        var logProbabilities = logits.reshape(-1, logits.shape[^1]).log_softmax(-1);
        var flatTargets = targets.reshape(-1);
        var counted = flatTargets.ne(IgnoreIndex);
        // Ignored targets may be out of range (−100); gather a valid index for them and zero their loss afterwards.
        var safeTargets = where(counted, flatTargets, zeros_like(flatTargets));
        var trueClass = -logProbabilities.gather(1, safeTargets.unsqueeze(1)).squeeze(1);
        var uniform = -logProbabilities.mean(new long[] { -1 });
        var perTarget = (1 - Smoothing) * trueClass + Smoothing * uniform;
        var total = where(counted, perTarget, zeros_like(perTarget)).sum();
        return (total / counted.sum().clamp_min(1)).MoveToOuterDisposeScope();
    }
}
