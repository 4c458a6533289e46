using TransformersBook.Distillation;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>Hidden-state matching: the projected MSE against mse_loss, and no gradient into the teacher.</summary>
[Collection(ProcessState.Name)]
public class HiddenStateMatchingTests
{
    public HiddenStateMatchingTests() => TestSetup.Initialize();

    [Fact]
    public void It_is_the_mean_squared_error_of_the_projected_student_states()
    {
        using var scope = NewDisposeScope();
        manual_seed(65);
        using var matching = new HiddenStateMatching(4, 6);
        var student = randn(2, 3, 4).requires_grad_();
        var teacher = randn(2, 3, 6).requires_grad_();
        var loss = matching.forward(student, teacher);
        var projected = student.matmul(matching.Projection.weight!.t()) + matching.Projection.bias!;
        var theirs = nn.functional.mse_loss(projected, teacher);
        Assert.Equal(theirs.item<float>(), loss.item<float>(), 5);
        loss.backward();
        Assert.NotNull(student.grad);
        Assert.NotNull(matching.Projection.weight!.grad);
        Assert.True(teacher.grad is null || teacher.grad.abs().max().item<float>() == 0);
    }

    [Fact]
    public void A_student_that_is_a_linear_map_of_the_teacher_can_be_matched_exactly()
    {
        using var scope = NewDisposeScope();
        manual_seed(66);
        using var matching = new HiddenStateMatching(3, 3);
        var states = randn(5, 3);
        using (no_grad())
        {
            matching.Projection.weight!.copy_(eye(3));
            matching.Projection.bias!.zero_();
        }
        Assert.Equal(0f, matching.forward(states, states.clone()).item<float>(), 6);
    }
}
