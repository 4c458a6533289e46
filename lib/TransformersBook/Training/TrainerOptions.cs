namespace TransformersBook.Training;

/// <summary>How <see cref="Trainer"/> trains: how long, how it evaluates, clips, schedules, checkpoints and reports.</summary>
public sealed record TrainerOptions
{
    /// <summary>The number of optimizer updates.</summary>
    public required int Steps { get; init; }

    /// <summary>The learning rate by step; null keeps the optimizer's own rate.</summary>
    public LearningRateSchedule? Schedule { get; init; }

    /// <summary>Clips the global gradient norm to this value before each update (Pascanu et al., 2013); null: no clipping.</summary>
    public double? ClipGradNorm { get; init; }

    /// <summary>Evaluates every this many steps (and at the last step); 0: only at the last step. Needs an evaluation batch provider.</summary>
    public int EvalEvery { get; init; }

    /// <summary>How many evaluation batches (indices 0, 1, ...) make one evaluation.</summary>
    public int EvalBatches { get; init; } = 10;

    /// <summary>Records the mean training loss every this many steps; 0: about 200 records per run.</summary>
    public int LogEvery { get; init; }

    /// <summary>A folder for checkpoints (one sub-folder per saved step, written atomically); null: no checkpoints.</summary>
    public string? CheckpointDirectory { get; init; }

    /// <summary>Saves a checkpoint every this many steps; 0: only at the end and when stopped. Needs <see cref="CheckpointDirectory"/>.</summary>
    public int CheckpointEvery { get; init; }

    /// <summary>Resumes from the latest checkpoint in <see cref="CheckpointDirectory"/>; false deletes earlier checkpoints there and starts afresh.</summary>
    public bool Resume { get; init; } = true;

    /// <summary>How many checkpoints to keep (the newest).</summary>
    public int KeepCheckpoints { get; init; } = 2;

    /// <summary>The handle from a cell's <c>display(...)</c>: progress then updates in place as an HTML bar; null: console lines.</summary>
    public object? Display { get; init; }

    /// <summary>The shortest time between two updates of a live progress display.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(0.5);

    /// <summary>Where console progress lines go when there is no display (default: the console; <see cref="TextWriter.Null"/> silences them).</summary>
    public TextWriter? ProgressWriter { get; init; }

    /// <summary>
    /// Runs a young-generation garbage collection every this many steps; 0: never. TorchSharp frees the native Scalars
    /// its operations create from plain numbers (the optimizer makes several per parameter per step) only in finalizers,
    /// which run after a collection; the GC does not see that native memory, so without this it piles up for thousands
    /// of steps. A gen-0 collection costs well under a millisecond.
    /// </summary>
    public int CollectGarbageEvery { get; init; } = 100;

    /// <summary>Stops training between steps; the notebook engine's cell token (interrupt, time-out) is always honoured as well.</summary>
    public CancellationToken CancellationToken { get; init; }

    internal void Validate()
    {
        if (Steps < 1) throw new ArgumentOutOfRangeException(nameof(Steps), Steps, "Training needs at least one step.");
        if (EvalEvery < 0 || LogEvery < 0 || CheckpointEvery < 0 || CollectGarbageEvery < 0)
            throw new ArgumentException("EvalEvery, LogEvery, CheckpointEvery and CollectGarbageEvery count steps and cannot be negative.");
        if (EvalBatches < 1) throw new ArgumentOutOfRangeException(nameof(EvalBatches), EvalBatches, "An evaluation needs at least one batch.");
        if (ClipGradNorm is <= 0) throw new ArgumentOutOfRangeException(nameof(ClipGradNorm), ClipGradNorm, "The clipping norm must be positive.");
        if (KeepCheckpoints < 1) throw new ArgumentOutOfRangeException(nameof(KeepCheckpoints), KeepCheckpoints, "Keep at least one checkpoint.");
        if (CheckpointEvery > 0 && CheckpointDirectory is null)
            throw new ArgumentException("CheckpointEvery needs a CheckpointDirectory.");
    }
}
