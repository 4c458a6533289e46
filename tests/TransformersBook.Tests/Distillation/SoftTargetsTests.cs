using TransformersBook.Distillation;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>The soft-target loss against a hand-computed value and kl_div, and its hand gradient against autograd.</summary>
[Collection(ProcessState.Name)]
public class SoftTargetsTests
{
    public SoftTargetsTests() => TestSetup.Initialize();

    [Fact]
    public void Two_classes_by_hand_at_temperature_two()
    {
        using var scope = NewDisposeScope();
        // Teacher logits (0, 2 ln 3) at T = 2 give q_t = (1/4, 3/4); student logits (0, 0) give q_s = (1/2, 1/2).
        // KL(q_t ‖ q_s) = 1/4 ln(1/2) + 3/4 ln(3/2), times T² = 4.
        var teacher = tensor(new float[] { 0f, (float)(2 * Math.Log(3)) }).reshape(1, 2);
        var student = zeros(1, 2);
        double kl = 0.25 * Math.Log(0.5) + 0.75 * Math.Log(1.5);
        Assert.Equal(4 * kl, SoftTargets.Loss(student, teacher, 2.0).item<float>(), 5);
        Assert.Equal(kl, SoftTargets.Loss(student, teacher, 2.0, scaleByTemperatureSquared: false).item<float>(), 5);
    }

    [Fact]
    public void It_equals_torch_kl_div_with_batchmean_over_positions()
    {
        using var scope = NewDisposeScope();
        manual_seed(61);
        var student = randn(3, 5, 11) * 2;
        var teacher = randn(3, 5, 11) * 3;
        foreach (double t in new[] { 1.0, 2.5, 8.0 })
        {
            var input = (student / t).log_softmax(-1).reshape(-1, 11);
            var target = (teacher / t).log_softmax(-1).reshape(-1, 11);
            double theirs = nn.functional.kl_div(input, target, reduction: nn.Reduction.Sum, log_target: true).item<float>() / 15 * t * t;
            Assert.Equal(theirs, SoftTargets.Loss(student, teacher, t).item<float>(), 4);
        }
    }

    [Fact]
    public void The_hand_gradient_equals_autograd_and_the_teacher_gets_none()
    {
        using var scope = NewDisposeScope();
        manual_seed(62);
        var student = (randn(4, 6, 9, dtype: ScalarType.Float64) * 2).requires_grad_();
        var teacher = (randn(4, 6, 9, dtype: ScalarType.Float64) * 2).requires_grad_();
        foreach (double t in new[] { 1.0, 4.0, 16.0 })
            foreach (bool scaled in new[] { true, false })
            {
                student.grad?.zero_();
                SoftTargets.Loss(student, teacher, t, scaled).backward();
                double difference = (student.grad! - SoftTargets.Gradient(student, teacher, t, scaled)).abs().max().item<double>();
                Assert.True(difference < 1e-12, $"T = {t}, scaled = {scaled}: {difference}");
            }
        Assert.True(teacher.grad is null || teacher.grad.abs().max().item<double>() == 0);
    }

    [Fact]
    public void Equal_logits_give_zero_and_bad_arguments_throw()
    {
        using var scope = NewDisposeScope();
        manual_seed(63);
        var logits = randn(2, 7);
        Assert.Equal(0f, SoftTargets.Loss(logits, logits.clone(), 3.0).item<float>(), 6);
        Assert.Throws<ArgumentOutOfRangeException>(() => SoftTargets.Loss(logits, logits, 0.0));
        Assert.Throws<ArgumentException>(() => SoftTargets.Loss(logits, randn(2, 8), 1.0));
    }
}
