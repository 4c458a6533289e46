using TransformersBook.Distillation;
using TransformersBook.Training;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>The α mix of soft and hard terms, checked at its ends and in between.</summary>
[Collection(ProcessState.Name)]
public class DistillationLossTests
{
    public DistillationLossTests() => TestSetup.Initialize();

    [Fact]
    public void It_mixes_the_soft_and_hard_terms_with_weight_alpha()
    {
        using var scope = NewDisposeScope();
        manual_seed(64);
        var student = randn(2, 5, 13);
        var teacher = randn(2, 5, 13) * 2;
        var targets = randint(0, 13, new long[] { 2, 5 });
        double soft = SoftTargets.Loss(student, teacher, 3.0).item<float>();
        double hard = Losses.TokenCrossEntropy(student, targets).item<float>();
        Assert.Equal(hard, new DistillationLoss(3.0, 0.0).Compute(student, teacher, targets).item<float>(), 5);
        Assert.Equal(soft, new DistillationLoss(3.0, 1.0).Compute(student, teacher, targets).item<float>(), 5);
        Assert.Equal(0.3 * soft + 0.7 * hard, new DistillationLoss(3.0, 0.3).Compute(student, teacher, targets).item<float>(), 5);
        Assert.Throws<ArgumentOutOfRangeException>(() => new DistillationLoss(1.0, 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DistillationLoss(-1.0, 0.5));
    }
}
