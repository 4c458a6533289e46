namespace TransformersBook.Training;

/// <summary>The trainer's own state in a checkpoint (trainer.json), beside the model's and the optimizer's.</summary>
/// <param name="Step">Updates done when the checkpoint was written.</param>
/// <param name="Steps">Updates planned by that run (informative; a resumed run may plan more).</param>
/// <param name="History">The history so far.</param>
/// <param name="IntervalLossSum">The sum of training losses since the last record (so records after a resume match an uninterrupted run).</param>
/// <param name="IntervalSteps">How many steps that sum covers.</param>
/// <param name="Seconds">Training time so far.</param>
/// <param name="TorchRngState">torch's CPU generator state (dropout masks, sampling), base64.</param>
public sealed record TrainerState(
    int Step,
    int Steps,
    IReadOnlyList<TrainingRecord> History,
    double IntervalLossSum,
    int IntervalSteps,
    double Seconds,
    string TorchRngState);
