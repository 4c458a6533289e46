using TransformersBook.Display;
using TransformersBook.Plotting;

namespace TransformersBook.Training;

/// <summary>What a training run recorded: losses, learning rate and time by step, with a chart and a table.</summary>
public sealed class TrainingHistory : IChartSource
{
    readonly List<TrainingRecord> records = new();

    public TrainingHistory()
    {
    }

    public TrainingHistory(IEnumerable<TrainingRecord> records) => this.records.AddRange(records);

    public IReadOnlyList<TrainingRecord> Records => records;

    public void Add(TrainingRecord record)
    {
        if (records.Count > 0 && record.Step <= records[^1].Step)
            throw new ArgumentException($"Records must come in step order: step {record.Step} after step {records[^1].Step}.", nameof(record));
        records.Add(record);
    }

    public TrainingRecord? Last => records.Count == 0 ? null : records[^1];

    /// <summary>The last recorded training loss.</summary>
    public double? FinalTrainLoss => Last?.TrainLoss;

    /// <summary>The last evaluation loss.</summary>
    public double? FinalEvalLoss => records.LastOrDefault(r => r.EvalLoss is not null)?.EvalLoss;

    /// <summary>The lowest evaluation loss.</summary>
    public double? BestEvalLoss => records.Where(r => r.EvalLoss is not null).Select(r => r.EvalLoss!.Value).DefaultIfEmpty(double.NaN).Min() is var best && double.IsNaN(best) ? null : best;

    /// <summary>Training and evaluation loss against the step.</summary>
    public Figure Chart(string? title = null, bool logY = false)
    {
        var series = new List<Series> { Series.Of("train", records.Select(r => (double)r.Step), records.Select(r => r.TrainLoss)) };
        var evaluated = records.Where(r => r.EvalLoss is not null).ToList();
        if (evaluated.Count > 0) series.Add(Series.Of("eval", evaluated.Select(r => (double)r.Step), evaluated.Select(r => r.EvalLoss!.Value)));
        if (records.Count == 0) series[0] = Series.Of("train", Array.Empty<double>(), Array.Empty<double>());
        return Plots.Line(series, title ?? "Loss", "step", "loss", logY: logY, markers: records.Count < 30);
    }

    /// <summary>The learning rate against the step.</summary>
    public Figure LearningRateChart() =>
        Plots.Line(records.Select(r => (double)r.Step), records.Select(r => r.LearningRate), "learning rate", "Learning rate", "step", "learning rate");

    /// <summary>At most <paramref name="maxRows"/> records, evenly spaced, always with the last.</summary>
    public Table ToTable(int maxRows = 12)
    {
        var table = new Table(new[] { "step", "train loss", "eval loss", "learning rate", "time" });
        int stride = Math.Max(1, (int)Math.Ceiling(records.Count / (double)Math.Max(1, maxRows)));
        for (int i = 0; i < records.Count; i++)
        {
            if (i % stride != 0 && i != records.Count - 1) continue;
            var r = records[i];
            table.AddRow(r.Step, r.TrainLoss, r.EvalLoss, r.LearningRate, TimeSpan.FromSeconds(r.Seconds));
        }
        return table;
    }

    public override string ToString() => records.Count == 0
        ? "training history (empty)"
        : $"training history: {records.Count} records to step {Last!.Step}, train loss {NumberText.Format(Last.TrainLoss)}" +
          (FinalEvalLoss is { } eval ? $", eval loss {NumberText.Format(eval)}" : "") +
          $", {NumberText.Duration(TimeSpan.FromSeconds(Last.Seconds))}";
}
