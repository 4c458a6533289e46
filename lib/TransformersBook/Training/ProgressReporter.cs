using TransformersBook.Display;

namespace TransformersBook.Training;

/// <summary>
/// Shows training progress: with a display handle, an HTML bar updated in place (at most every
/// <see cref="TrainerOptions.ProgressInterval"/>); without one, a text line at every tenth of the run and at the end,
/// which reads well both in a notebook and in a CI log.
/// </summary>
internal sealed class ProgressReporter
{
    readonly LiveDisplay display;
    readonly TextWriter console;
    readonly TimeSpan interval;
    DateTime lastUpdate = DateTime.MinValue;
    int lastTenth = -1;

    public ProgressReporter(TrainerOptions options)
    {
        display = new LiveDisplay(options.Display);
        console = options.ProgressWriter ?? Console.Out;
        interval = options.ProgressInterval;
    }

    public void Report(TrainingProgress progress, bool force = false)
    {
        if (display.IsLive)
        {
            var now = DateTime.UtcNow;
            if (!force && now - lastUpdate < interval) return;
            lastUpdate = now;
            display.Update(progress);
            return;
        }
        int tenth = (int)Math.Floor(progress.Fraction * 10);
        if (!force && tenth == lastTenth) return;
        lastTenth = tenth;
        console.WriteLine(progress.ToPlainText());
    }
}
