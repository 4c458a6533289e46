using TorchSharp;
using TransformersBook.Runtime;
using TransformersBook.Training;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>A tiny regression problem: y = x·w* + 0.5 with a little noise; batch n is the same in every run.</summary>
static class Regression
{
    public const int Features = 8;

    public static nn.Module<Tensor, Tensor> Model(int seed, double dropout = 0)
    {
        torch.manual_seed(seed);
        return nn.Sequential(nn.Linear(Features, 32), nn.ReLU(), nn.Dropout(dropout), nn.Linear(32, 1));
    }

    public static Batch Batch(int n, int size = 32)
    {
        var generator = new Random(1000 + n);
        var x = new float[size * Features];
        var y = new float[size];
        for (int i = 0; i < size; i++)
        {
            double sum = 0.5;
            for (int f = 0; f < Features; f++)
            {
                x[i * Features + f] = (float)(generator.NextDouble() * 2 - 1);
                sum += x[i * Features + f] * (f % 3 - 1) * 1.5;
            }
            y[i] = (float)(sum + 0.01 * (generator.NextDouble() - 0.5));
        }
        return new Batch(torch.tensor(x, new long[] { size, Features }), torch.tensor(y, new long[] { size, 1 }));
    }

    public static Tensor Loss(Tensor output, Tensor target) => nn.functional.mse_loss(output, target);
}

public class LearningRateScheduleTests
{
    [Theory]
    [InlineData(1, 1e-4)]
    [InlineData(5, 5e-4)]
    [InlineData(10, 1e-3)]
    [InlineData(60, 5.5e-4)]
    [InlineData(110, 1e-4)]
    [InlineData(500, 1e-4)]
    public void Warmup_then_cosine(int step, double expected) =>
        Assert.Equal(expected, LearningRateSchedule.WarmupCosine(peak: 1e-3, warmupSteps: 10, totalSteps: 110, minimum: 1e-4).At(step), 12);

    [Theory]
    [InlineData(1, 1.7469281074217108e-7)]
    [InlineData(4000, 6.987712429686843e-4)]
    [InlineData(16000, 3.4938562148434216e-4)]
    public void Inverse_square_root_as_in_attention_is_all_you_need(int step, double expected) =>
        Assert.Equal(expected, LearningRateSchedule.InverseSqrt(modelDimension: 512, warmupSteps: 4000).At(step), 15);

    [Fact]
    public void Inverse_square_root_peaks_at_the_end_of_warmup()
    {
        var schedule = LearningRateSchedule.InverseSqrt(512, 4000);
        Assert.True(schedule.At(3999) < schedule.At(4000));
        Assert.True(schedule.At(4001) < schedule.At(4000));
    }

    [Fact]
    public void Constant_and_invalid_steps()
    {
        Assert.Equal(3e-4, LearningRateSchedule.Constant(3e-4).At(77));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Constant(1).At(0));
        Assert.Throws<InvalidOperationException>(() => LearningRateSchedule.WarmupCosine(1, 10, 10).At(1));
    }
}

public class TrainerTests : IDisposable
{
    readonly TempFolder temp = new();

    public TrainerTests() => TestSetup.Initialize();

    public void Dispose() => temp.Dispose();

    static TrainerOptions Quiet(int steps) => new() { Steps = steps, ProgressWriter = TextWriter.Null };

    [Fact]
    public void Loss_decreases_on_a_small_regression()
    {
        var model = Regression.Model(1);
        using var optimizer = optim.AdamW(model.parameters(), lr: 1e-2);
        var trainer = new Trainer(model, optimizer, Quiet(300) with { LogEvery = 10, EvalEvery = 100, EvalBatches = 4 });
        var history = trainer.Fit(n => Regression.Batch(n), Regression.Loss, i => Regression.Batch(-1 - i));
        Assert.Equal(300, trainer.Step);
        Assert.Equal(30, history.Records.Count);
        Assert.True(history.Records[^1].TrainLoss < 0.05 * history.Records[0].TrainLoss,
            $"loss went from {history.Records[0].TrainLoss} to {history.Records[^1].TrainLoss}");
        Assert.Equal(new[] { 100, 200, 300 }, history.Records.Where(r => r.EvalLoss is not null).Select(r => r.Step));
        Assert.True(history.FinalEvalLoss < 0.1);
    }

    [Fact]
    public void The_schedule_sets_the_optimizer_learning_rate_and_is_recorded()
    {
        var model = Regression.Model(2);
        using var optimizer = optim.AdamW(model.parameters(), lr: 123);
        var schedule = LearningRateSchedule.WarmupCosine(1e-2, 5, 20, 1e-3);
        var history = new Trainer(model, optimizer, Quiet(20) with { Schedule = schedule, LogEvery = 1, ClipGradNorm = 1.0 })
            .Fit(n => Regression.Batch(n), Regression.Loss);
        Assert.Equal(Enumerable.Range(1, 20).Select(schedule.At), history.Records.Select(r => r.LearningRate));
        Assert.Equal(schedule.At(20), optimizer.ParamGroups.First().LearningRate);
    }

    [Fact]
    public void A_nan_loss_stops_training_naming_the_step_and_a_hint()
    {
        var model = Regression.Model(3);
        using var optimizer = optim.AdamW(model.parameters());
        var trainer = new Trainer(model, optimizer, Quiet(50));
        int step = 0;
        var e = Assert.Throws<NonFiniteLossException>(() => trainer.Fit(
            n => { step = n; return Regression.Batch(n); },
            b => step == 7 ? Regression.Loss(model.call(b.Input), b.Target) * double.NaN : Regression.Loss(model.call(b.Input), b.Target)));
        Assert.Equal(7, e.Step);
        Assert.True(double.IsNaN(e.Loss));
        Assert.Contains("step 7", e.Message);
        Assert.Contains("NaN", e.Message);
        Assert.Contains("learning rate", e.Message);
        Assert.Contains("clip gradients", e.Message);
        Assert.Equal(6, trainer.Step);
    }

    [Fact]
    public void Resume_false_starts_afresh()
    {
        string directory = Path.Combine(temp.Path, "fresh");
        var model = Regression.Model(5);
        using var optimizer = optim.AdamW(model.parameters());
        new Trainer(model, optimizer, Quiet(10) with { CheckpointDirectory = directory }).Fit(n => Regression.Batch(n), Regression.Loss);
        var again = new Trainer(model, optimizer, Quiet(10) with { CheckpointDirectory = directory, Resume = false });
        again.Fit(n => Regression.Batch(n), Regression.Loss);
        Assert.Null(again.ResumedFrom);
        Assert.Equal(10, again.History.Records[^1].Step);
        var done = new Trainer(model, optimizer, Quiet(10) with { CheckpointDirectory = directory });
        done.Fit(_ => throw new InvalidOperationException("a finished run trains no more"), Regression.Loss);
        Assert.Equal(10, done.ResumedFrom);
    }

    [Fact]
    public void Live_progress_updates_a_display_handle_in_place()
    {
        var handle = new FakeDisplayHandle();
        var model = Regression.Model(6);
        using var optimizer = optim.AdamW(model.parameters());
        new Trainer(model, optimizer, Quiet(20) with { Display = handle, ProgressInterval = TimeSpan.Zero }).Fit(n => Regression.Batch(n), Regression.Loss);
        var updates = handle.Updates.Cast<TrainingProgress>().ToList();
        Assert.True(updates.Count >= 20);
        Assert.Equal("done", updates[^1].Status);
        Assert.Equal(20, updates[^1].Step);
        Assert.True(updates[^1].TokensPerSecond > 0);
        Assert.Contains("step 20/20", updates[^1].ToHtml());
        Assert.Contains("tokens/s", updates[^1].ToPlainText());
    }

    [Fact]
    public void Without_a_display_progress_is_a_few_console_lines()
    {
        var output = new StringWriter();
        var model = Regression.Model(7);
        using var optimizer = optim.AdamW(model.parameters());
        new Trainer(model, optimizer, new TrainerOptions { Steps = 100, ProgressWriter = output }).Fit(n => Regression.Batch(n), Regression.Loss);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.InRange(lines.Length, 10, 13);
        Assert.StartsWith("[", lines[0]);
        Assert.Contains("100%", lines[^1]);
        Assert.Contains("done", lines[^1]);
    }

    [Fact]
    public void A_loss_that_is_not_a_scalar_is_rejected()
    {
        var model = Regression.Model(8);
        using var optimizer = optim.AdamW(model.parameters());
        var e = Assert.Throws<InvalidOperationException>(() => new Trainer(model, optimizer, Quiet(3))
            .Fit(n => Regression.Batch(n), (o, t) => nn.functional.mse_loss(o, t, nn.Reduction.None)));
        Assert.Contains("scalar", e.Message);
    }

    [Fact]
    public void History_chart_and_table()
    {
        var history = new TrainingHistory(new[] { new TrainingRecord(1, 2.0, null, 1e-3, 0.1), new TrainingRecord(2, 1.5, 1.7, 1e-3, 0.2) });
        var json = System.Text.Json.JsonDocument.Parse(history.Chart().ToJson()).RootElement;
        Assert.Equal(2, json.GetProperty("data").GetArrayLength());
        Assert.Equal(2, history.ToTable().Rows.Count);
        Assert.Equal(1.7, history.BestEvalLoss);
        Assert.Throws<ArgumentException>(() => history.Add(new TrainingRecord(2, 1, null, 1, 1)));
    }
}

/// <summary>
/// Tests that need the process to themselves: exact reproducibility (torch's global generator is shared with any test
/// running beside them), resident memory (shared with every allocation), AppContext data.
/// </summary>
[Collection(ProcessState.Name)]
public class TrainerProcessTests : IDisposable
{
    readonly TempFolder temp = new();

    public TrainerProcessTests() => TestSetup.Initialize();

    public void Dispose() => temp.Dispose();

    static TrainerOptions Quiet(int steps) => new() { Steps = steps, ProgressWriter = TextWriter.Null };

    [Fact]
    public void Resuming_from_a_checkpoint_gives_the_same_history_and_weights_as_an_uninterrupted_run()
    {
        const int steps = 40;
        var options = Quiet(steps) with { LogEvery = 3, EvalEvery = 10, EvalBatches = 2 };
        Func<int, Batch> eval = i => Regression.Batch(-1 - i);

        // Uninterrupted, with dropout so the RNG state matters too.
        var reference = Regression.Model(4, dropout: 0.2);
        using var referenceOptimizer = optim.AdamW(reference.parameters(), lr: 5e-3);
        torch.manual_seed(77);
        var expected = new Trainer(reference, referenceOptimizer, options).Fit(n => Regression.Batch(n), Regression.Loss, eval);

        // Interrupted at step 25 (after a periodic checkpoint at 20), then resumed into fresh objects.
        string directory = Path.Combine(temp.Path, "checkpoints");
        using var stop = new CancellationTokenSource();
        var first = Regression.Model(4, dropout: 0.2);
        using var firstOptimizer = optim.AdamW(first.parameters(), lr: 5e-3);
        torch.manual_seed(77);
        var interrupted = new Trainer(first, firstOptimizer, options with { CheckpointDirectory = directory, CheckpointEvery = 10, CancellationToken = stop.Token });
        Assert.ThrowsAny<OperationCanceledException>(() => interrupted.Fit(n =>
        {
            if (n == 25) stop.Cancel();
            return Regression.Batch(n);
        }, Regression.Loss, eval));
        Assert.Equal(25, interrupted.Step);
        var saved = new CheckpointStore(directory).List().Select(c => c.Step).ToList();
        Assert.Equal(new[] { 20, 25 }, saved);
        Assert.Empty(Directory.GetDirectories(directory, ".*"));

        var second = Regression.Model(999, dropout: 0.2);
        using var secondOptimizer = optim.AdamW(second.parameters(), lr: 5e-3);
        torch.manual_seed(12345);
        var resumed = new Trainer(second, secondOptimizer, options with { CheckpointDirectory = directory, CheckpointEvery = 10 });
        var actual = resumed.Fit(n => Regression.Batch(n), Regression.Loss, eval);

        Assert.Equal(25, resumed.ResumedFrom);
        Assert.Equal(Strip(expected), Strip(actual));
        foreach (var (name, parameter) in reference.named_parameters())
        {
            var other = second.named_parameters().Single(p => p.name == name).parameter;
            Assert.True(parameter.allclose(other, rtol: 0, atol: 0), $"parameter {name} differs after resume");
        }
        Assert.Equal(new[] { 30, 40 }, new CheckpointStore(directory).List().Select(c => c.Step));
    }

    static List<(int, double, double?, double)> Strip(TrainingHistory history) =>
        history.Records.Select(r => (r.Step, r.TrainLoss, r.EvalLoss, r.LearningRate)).ToList();

    [Fact]
    public void Native_memory_stays_flat_over_thousands_of_steps()
    {
        var model = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 64));
        using var optimizer = optim.AdamW(model.parameters(), lr: 1e-3);
        Batch Big(int n) => new(torch.randn(64, 64), torch.randn(64, 64));
        long afterWarmup = 0, atEnd = 0, liveAfterWarmup = 0, liveAtEnd = 0;
        const int steps = 3000;
        new Trainer(model, optimizer, Quiet(steps) with { ClipGradNorm = 1.0, EvalEvery = 500, EvalBatches = 2 }).Fit(n =>
        {
            if (n == 300) (afterWarmup, liveAfterWarmup) = (Native(), LiveTensors());
            if (n == steps) (atEnd, liveAtEnd) = (Native(), LiveTensors());
            return Big(n);
        }, (o, t) => nn.functional.mse_loss(o, t), Big);
        // Every tensor a step creates is disposed with its scope...
        Assert.Equal(liveAfterWarmup, liveAtEnd);
        // ...and native memory does not grow: a leak of one batch-sized tensor per step would be 2,700 × 16 KiB ≈ 42 MiB.
        long growth = atEnd - afterWarmup;
        Assert.True(growth < 12 << 20, $"native memory grew by {growth >> 20} MiB over {steps - 300} steps");

        // The measurement sees a leak of that order: keep a 64 KiB tensor per step alive (64 MiB over 1,000 steps,
        // well above the noise of a test process whose other threads allocate too).
        var leaked = new List<Tensor>();
        long before = Native();
        new Trainer(model, optimizer, Quiet(1000)).Fit(n => Big(n), b =>
        {
            leaked.Add(torch.randn(256, 64).DetachFromDisposeScope());
            return nn.functional.mse_loss(((nn.Module<Tensor, Tensor>)model).call(b.Input), b.Target);
        });
        long leakGrowth = Native() - before;
        foreach (var t in leaked) t.Dispose();
        Assert.True(leakGrowth > 32 << 20, $"a 64 MiB leak showed as only {leakGrowth >> 20} MiB");
    }

    static long LiveTensors() => TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;

    /// <summary>Native memory after a full collection has run the finalizers of what is already garbage.</summary>
    static long Native()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return ProcessMemory.NativeBytes();
    }

}

[Collection(ProcessState.Name)]
public class CellCancellationTests
{
    public CellCancellationTests() => TestSetup.Initialize();

    [Fact]
    public void The_engines_cell_token_stops_training_between_steps()
    {
        using var cell = new CancellationTokenSource();
        AppContext.SetData(CooperativeCancellation.AppContextKey, cell.Token);
        try
        {
            var model = Regression.Model(9);
            using var optimizer = optim.AdamW(model.parameters());
            var trainer = new Trainer(model, optimizer, new TrainerOptions { Steps = 1000, ProgressWriter = TextWriter.Null });
            var e = Assert.ThrowsAny<OperationCanceledException>(() => trainer.Fit(n =>
            {
                if (n == 5) cell.Cancel();
                return Regression.Batch(n);
            }, Regression.Loss));
            Assert.Equal(5, trainer.Step);
            Assert.Contains("step 5 of 1000", e.Message);
        }
        finally
        {
            AppContext.SetData(CooperativeCancellation.AppContextKey, null);
        }
    }
}
