using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TransformersBook.Distillation;

/// <summary>
/// Hidden-state matching (FitNets' hints, Romero et al., 2015; TinyBERT, Jiao et al., 2020): a learned linear map W
/// from the student's width to the teacher's, and the mean squared error between W·h_s and the teacher's hidden
/// state h_t at every position, MSE = mean over positions and features of (W h_s + b − h_t)². The map is trained
/// with the student and thrown away after distillation; no gradient flows into the teacher's states.
/// </summary>
public sealed class HiddenStateMatching : nn.Module<Tensor, Tensor, Tensor>
{
    readonly Linear projection;

    /// <param name="studentWidth">The student's hidden width.</param>
    /// <param name="teacherWidth">The teacher's hidden width.</param>
    public HiddenStateMatching(int studentWidth, int teacherWidth) : base(nameof(HiddenStateMatching))
    {
        projection = nn.Linear(studentWidth, teacherWidth);
        RegisterComponents();
    }

    /// <summary>The learned map from the student's width to the teacher's.</summary>
    public Linear Projection => projection;

    /// <param name="studentStates">(..., studentWidth)</param>
    /// <param name="teacherStates">(..., teacherWidth), the same leading shape.</param>
    /// <returns>The mean squared error, a scalar.</returns>
    public override Tensor forward(Tensor studentStates, Tensor teacherStates)
    {
        using var scope = NewDisposeScope();
        var difference = projection.forward(studentStates) - teacherStates.detach();
        return difference.pow(2).mean().MoveToOuterDisposeScope();
    }
}
