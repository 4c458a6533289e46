namespace TransformersBook.Training;

/// <summary>One row of a training history.</summary>
/// <param name="Step">Updates done so far.</param>
/// <param name="TrainLoss">The mean training loss over the steps since the previous record.</param>
/// <param name="EvalLoss">The mean loss on the evaluation batches, when they were evaluated at this step.</param>
/// <param name="LearningRate">The learning rate of this step.</param>
/// <param name="Seconds">Training time so far, in seconds (including earlier runs resumed from a checkpoint).</param>
public sealed record TrainingRecord(int Step, double TrainLoss, double? EvalLoss, double LearningRate, double Seconds);
