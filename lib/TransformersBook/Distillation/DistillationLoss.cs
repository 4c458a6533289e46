using TorchSharp;
using TransformersBook.Training;
using static TorchSharp.torch;

namespace TransformersBook.Distillation;

/// <summary>
/// The distillation objective of Hinton et al. (2015): a weighted sum of the soft-target loss at temperature T
/// (<see cref="SoftTargets.Loss"/>, with its T² factor) and the ordinary cross-entropy with the true next tokens,
/// loss = α · T² · KL(q_t ‖ q_s) + (1 − α) · CE(z_s, y).
/// </summary>
public sealed class DistillationLoss
{
    /// <param name="temperature">T &gt; 0, applied to the soft term only (the hard term is at T = 1).</param>
    /// <param name="softWeight">α in [0, 1]: 1 trains on the teacher alone, 0 is training from scratch.</param>
    public DistillationLoss(double temperature, double softWeight)
    {
        if (temperature <= 0) throw new ArgumentOutOfRangeException(nameof(temperature), "the temperature must be positive.");
        if (softWeight < 0 || softWeight > 1) throw new ArgumentOutOfRangeException(nameof(softWeight), "α is a weight in [0, 1].");
        Temperature = temperature;
        SoftWeight = softWeight;
    }

    /// <summary>T, the temperature of the soft term.</summary>
    public double Temperature { get; }

    /// <summary>α, the weight of the soft term; the hard cross-entropy gets 1 − α.</summary>
    public double SoftWeight { get; }

    /// <summary>α · T² · KL(q_t ‖ q_s) + (1 − α) · CE(z_s, y), averaged over positions.</summary>
    /// <param name="studentLogits">(..., vocabulary) the student's logits.</param>
    /// <param name="teacherLogits">(..., vocabulary) the teacher's logits; no gradient flows into them.</param>
    /// <param name="targets">(...) the true next tokens, int64.</param>
    /// <returns>A scalar.</returns>
    public Tensor Compute(Tensor studentLogits, Tensor teacherLogits, Tensor targets)
    {
        using var scope = NewDisposeScope();
        var soft = SoftTargets.Loss(studentLogits, teacherLogits, Temperature);
        var hard = Losses.TokenCrossEntropy(studentLogits, targets);
        return (SoftWeight * soft + (1 - SoftWeight) * hard).MoveToOuterDisposeScope();
    }
}
