using System.Diagnostics;
using TransformersBook.Runtime;
using static TorchSharp.torch;

namespace TransformersBook.Training;

/// <summary>
/// The book's one training loop, used by every chapter that trains: any <see cref="nn.Module"/>, any optimizer, a
/// loss delegate, on CPU or CUDA. Each step runs inside its own dispose scope, so native memory stays flat however
/// long it runs. It evaluates, clips gradients, follows a learning-rate schedule, checkpoints atomically and resumes,
/// shows live progress, stops cooperatively when the cell is interrupted, and stops with
/// <see cref="NonFiniteLossException"/> when the loss becomes NaN or infinite.
/// </summary>
/// <remarks>
/// Batch providers take the step number (training) or the batch index (evaluation) and should derive their
/// randomness from it (as <c>TextDataset.Batches</c> does): then a run resumed from a checkpoint sees the
/// same batches as an uninterrupted one, and the evaluation set is the same at every evaluation.
/// </remarks>
public sealed class Trainer
{
    readonly nn.Module model;
    readonly optim.Optimizer optimizer;
    readonly TrainerOptions options;
    readonly CheckpointStore? checkpoints;

    public Trainer(nn.Module model, optim.Optimizer optimizer, TrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        this.model = model;
        this.optimizer = optimizer;
        this.options = options;
        if (options.CheckpointDirectory is { } directory) checkpoints = new CheckpointStore(directory, options.KeepCheckpoints);
    }

    /// <summary>What was recorded so far (including runs resumed from a checkpoint).</summary>
    public TrainingHistory History { get; private set; } = new();

    /// <summary>Updates done so far.</summary>
    public int Step { get; private set; }

    /// <summary>The step of the checkpoint this trainer resumed from, or null.</summary>
    public int? ResumedFrom { get; private set; }

    public TrainerOptions Options => options;

    /// <summary>
    /// Trains a <see cref="nn.Module{T, TResult}"/> on (input, target) batches: the loss is
    /// <paramref name="criterion"/>(model(input), target).
    /// </summary>
    public TrainingHistory Fit(Func<int, Batch> trainBatch, Func<Tensor, Tensor, Tensor> criterion, Func<int, Batch>? evalBatch = null)
    {
        var forward = model as nn.Module<Tensor, Tensor>
            ?? throw new InvalidOperationException(
                $"{model.GetType().Name} is not an nn.Module<Tensor, Tensor>; call Fit with a loss delegate that runs the model itself.");
        return Fit(trainBatch, b => criterion(forward.call(b.Input), b.Target), evalBatch, b => b.Tokens);
    }

    /// <summary>Trains with any batch type and a loss delegate that runs the model and returns a scalar loss.</summary>
    /// <param name="trainBatch">The batch for a step (1-based).</param>
    /// <param name="loss">The scalar loss of a batch; called inside the step's dispose scope.</param>
    /// <param name="evalBatch">Evaluation batch number i (0 ≤ i &lt; <see cref="TrainerOptions.EvalBatches"/>), or null for no evaluation.</param>
    /// <param name="tokens">How many tokens a batch holds, for the tokens/s rate (optional).</param>
    /// <exception cref="NonFiniteLossException">The loss became NaN or infinite.</exception>
    /// <exception cref="OperationCanceledException">The cell was interrupted or timed out, or the options' token fired (after a checkpoint, if configured).</exception>
    public TrainingHistory Fit<TBatch>(Func<int, TBatch> trainBatch, Func<TBatch, Tensor> loss, Func<int, TBatch>? evalBatch = null, Func<TBatch, long>? tokens = null)
    {
        ArgumentNullException.ThrowIfNull(trainBatch);
        ArgumentNullException.ThrowIfNull(loss);
        var cellToken = CooperativeCancellation.Current;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cellToken, options.CancellationToken);
        var token = linked.Token;

        double intervalSum = 0;
        int intervalSteps = 0;
        double secondsBefore = 0;
        if (checkpoints is not null && options.Resume && checkpoints.Latest() is { } latest)
        {
            var state = CheckpointStore.Load(latest.Path, model, optimizer);
            History = new TrainingHistory(state.History);
            Step = state.Step;
            ResumedFrom = state.Step;
            intervalSum = state.IntervalLossSum;
            intervalSteps = state.IntervalSteps;
            secondsBefore = state.Seconds;
            using (var rng = tensor(Convert.FromBase64String(state.TorchRngState))) random.set_rng_state(rng);
        }
        else if (checkpoints is not null && !options.Resume)
        {
            checkpoints.Clear();
        }
        if (Step >= options.Steps) return History;

        int logEvery = options.LogEvery > 0 ? options.LogEvery : Math.Max(1, options.Steps / 200);
        var parameters = model.parameters().ToList();
        var reporter = new ProgressReporter(options);
        var clock = Stopwatch.StartNew();
        int firstStep = Step;
        long tokensSeen = 0;
        double? lastEval = History.FinalEvalLoss;
        double lastTrain = History.FinalTrainLoss ?? double.NaN;
        double learningRate = CurrentLearningRate();
        bool wasTraining = model.training;
        model.train();

        TrainingProgress Progress(string status)
        {
            double seconds = clock.Elapsed.TotalSeconds;
            int done = Step - firstStep;
            return new TrainingProgress(Step, options.Steps, double.IsNaN(lastTrain) ? null : lastTrain, lastEval, learningRate,
                seconds > 0 ? tokensSeen / seconds : 0, seconds > 0 ? done / seconds : 0,
                TimeSpan.FromSeconds(secondsBefore + seconds), status);
        }

        TrainerState State() => new(Step, options.Steps, History.Records.ToList(), intervalSum, intervalSteps,
            secondsBefore + clock.Elapsed.TotalSeconds, Convert.ToBase64String(RngState()));

        reporter.Report(Progress("training"), force: true);
        try
        {
            for (int step = Step + 1; step <= options.Steps; step++)
            {
                if (token.IsCancellationRequested)
                {
                    if (checkpoints is not null && Step > firstStep) checkpoints.Save(model, optimizer, State());
                    reporter.Report(Progress("stopped"), force: true);
                    throw new OperationCanceledException(
                        $"Training stopped at step {Step} of {options.Steps}{(checkpoints is null ? "" : "; it resumes from its checkpoint when run again")}.", token);
                }

                learningRate = options.Schedule?.At(step) ?? CurrentLearningRate();
                if (options.Schedule is not null)
                    foreach (var group in optimizer.ParamGroups) group.LearningRate = learningRate;

                double value;
                using (var scope = NewDisposeScope())
                {
                    var batch = trainBatch(step);
                    optimizer.zero_grad();
                    var lossTensor = loss(batch);
                    if (lossTensor.numel() != 1)
                        throw new InvalidOperationException($"The loss must be a scalar; it has shape [{string.Join(", ", lossTensor.shape)}].");
                    value = lossTensor.detach().to_type(ScalarType.Float64).item<double>();
                    if (!double.IsFinite(value)) throw new NonFiniteLossException(step, value, learningRate, options.ClipGradNorm);
                    lossTensor.backward();
                    if (options.ClipGradNorm is { } maxNorm) nn.utils.clip_grad_norm_(parameters, maxNorm);
                    optimizer.step();
                    if (tokens is not null) tokensSeen += tokens(batch);
                }
                Step = step;
                if (options.CollectGarbageEvery > 0 && step % options.CollectGarbageEvery == 0) GC.Collect(0);
                intervalSum += value;
                intervalSteps++;

                bool last = step == options.Steps;
                bool evaluate = evalBatch is not null && (last || (options.EvalEvery > 0 && step % options.EvalEvery == 0));
                if (evaluate) lastEval = Evaluate(evalBatch!, loss, options.EvalBatches);
                if (evaluate || last || step % logEvery == 0)
                {
                    lastTrain = intervalSum / intervalSteps;
                    History.Add(new TrainingRecord(step, lastTrain, evaluate ? lastEval : null, learningRate, secondsBefore + clock.Elapsed.TotalSeconds));
                    intervalSum = 0;
                    intervalSteps = 0;
                }
                if (checkpoints is not null && (last || (options.CheckpointEvery > 0 && step % options.CheckpointEvery == 0)))
                    checkpoints.Save(model, optimizer, State());
                reporter.Report(Progress(last ? "done" : "training"), force: last);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            reporter.Report(Progress("failed"), force: true);
            throw;
        }
        finally
        {
            model.train(wasTraining);
        }
        return History;
    }

    /// <summary>The mean loss over evaluation batches 0 … <paramref name="batches"/>−1, in eval mode and without gradients.</summary>
    public double Evaluate<TBatch>(Func<int, TBatch> evalBatch, Func<TBatch, Tensor> loss, int batches)
    {
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            double sum = 0;
            for (int i = 0; i < batches; i++)
            {
                using var scope = NewDisposeScope();
                sum += loss(evalBatch(i)).to_type(ScalarType.Float64).item<double>();
            }
            return sum / batches;
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    double CurrentLearningRate() => optimizer.ParamGroups.FirstOrDefault()?.LearningRate ?? double.NaN;

    static byte[] RngState()
    {
        using var state = random.get_rng_state();
        return state.data<byte>().ToArray();
    }
}
