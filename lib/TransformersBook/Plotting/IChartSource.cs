namespace TransformersBook.Plotting;

/// <summary>A value best shown as a chart (a training history, say): displays and file apps draw <see cref="Chart"/>.</summary>
public interface IChartSource
{
    /// <summary>The chart, with its default title and axes.</summary>
    Figure Chart(string? title = null, bool logY = false);
}
