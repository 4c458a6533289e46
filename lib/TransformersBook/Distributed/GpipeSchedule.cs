namespace TransformersBook.Distributed;

/// <summary>One operation of a pipeline schedule: a stage's forward or backward pass of one microbatch, and when it ran.</summary>
public sealed record PipelineOperation(int Stage, int Microbatch, bool Backward, double Start, double End);

/// <summary>A replayed schedule: its operations, the time from the first start to the last end, and the idle share.</summary>
public sealed record PipelineTimeline(IReadOnlyList<PipelineOperation> Operations, int Stages, double Makespan)
{
    /// <summary>The bubble: the share of stage-time spent idle, 1 − Σ busy ÷ (stages × makespan).</summary>
    public double BubbleFraction => 1 - Operations.Sum(o => o.End - o.Start) / (Stages * Makespan);
}

/// <summary>
/// GPipe's schedule (Huang et al., 2019): the batch is cut into m microbatches; stage s runs the forward pass of
/// microbatch j once stage s − 1 has finished it and s has finished j − 1; after the last forward, the backward passes
/// run in reverse, stage s after stage s + 1. The gradients of the microbatches are summed, so one update equals the
/// full-batch update. With equal times for every operation a stage idles for p − 1 of m + p − 1 slots in each
/// direction: the bubble is (p − 1) ÷ (m + p − 1).
/// </summary>
public static class GpipeSchedule
{
    /// <summary>The bubble of GPipe with equal operation times: (p − 1) ÷ (m + p − 1).</summary>
    public static double BubbleFraction(int stages, int microbatches)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stages, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(microbatches, 1);
        return (stages - 1) / (double)(microbatches + stages - 1);
    }

    /// <summary>
    /// Replays the schedule with given durations: each operation starts as soon as its dependencies allow (as if
    /// each stage were its own device and messages took no time).
    /// </summary>
    /// <param name="forwardSeconds">forwardSeconds[s, j]: stage s's forward pass of microbatch j.</param>
    /// <param name="backwardSeconds">backwardSeconds[s, j]: stage s's backward pass of microbatch j.</param>
    public static PipelineTimeline Replay(double[,] forwardSeconds, double[,] backwardSeconds)
    {
        int stages = forwardSeconds.GetLength(0), microbatches = forwardSeconds.GetLength(1);
        if (backwardSeconds.GetLength(0) != stages || backwardSeconds.GetLength(1) != microbatches)
            throw new ArgumentException("Forward and backward durations need the same shape [stages, microbatches].");
        var forwardEnd = new double[stages, microbatches];
        var backwardEnd = new double[stages, microbatches];
        var operations = new List<PipelineOperation>();
        for (int j = 0; j < microbatches; j++)
        {
            for (int s = 0; s < stages; s++)
            {
                double start = Math.Max(s > 0 ? forwardEnd[s - 1, j] : 0, j > 0 ? forwardEnd[s, j - 1] : 0);
                forwardEnd[s, j] = start + forwardSeconds[s, j];
                operations.Add(new PipelineOperation(s, j, false, start, forwardEnd[s, j]));
            }
        }
        for (int order = 0; order < microbatches; order++)
        {
            int j = microbatches - 1 - order;
            for (int s = stages - 1; s >= 0; s--)
            {
                double previousOnStage = order > 0 ? backwardEnd[s, j + 1] : forwardEnd[s, microbatches - 1];
                double fromNextStage = s < stages - 1 ? backwardEnd[s + 1, j] : 0;
                double start = Math.Max(previousOnStage, fromNextStage);
                backwardEnd[s, j] = start + backwardSeconds[s, j];
                operations.Add(new PipelineOperation(s, j, true, start, backwardEnd[s, j]));
            }
        }
        return new PipelineTimeline(operations, stages, operations.Max(o => o.End));
    }
}
