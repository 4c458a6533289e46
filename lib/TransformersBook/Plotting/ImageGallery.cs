using static TorchSharp.torch;
using static TransformersBook.Plotting.PlotlyObject;

namespace TransformersBook.Plotting;

/// <summary>Shows small RGB images side by side in one Plotly "image" trace, numbered along the x axis.</summary>
public static class ImageGallery
{
    /// <summary>
    /// A row of images, (count, 3, height, width) with values in [0, 1], separated by white gaps and labelled 1, 2, … under
    /// each (or with <paramref name="labels"/>).
    /// </summary>
    public static Figure Show(Tensor images, string? title = null, IReadOnlyList<string>? labels = null, int gap = 2)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.dim() != 4 || images.shape[1] != 3)
            throw new ArgumentException($"Expected (count, 3, height, width); got [{string.Join(", ", images.shape)}].", nameof(images));
        int count = (int)images.shape[0], height = (int)images.shape[2], width = (int)images.shape[3];
        using var scope = NewDisposeScope();
        var values = images.detach().cpu().to_type(ScalarType.Float32).clamp(0, 1).contiguous().data<float>().ToArray();
        int totalWidth = count * width + (count - 1) * gap;
        var rows = new int[height][][];
        for (int y = 0; y < height; y++)
        {
            rows[y] = new int[totalWidth][];
            for (int x = 0; x < totalWidth; x++) rows[y][x] = new[] { 255, 255, 255 };
            for (int i = 0; i < count; i++)
                for (int x = 0; x < width; x++)
                    rows[y][i * (width + gap) + x] = Enumerable.Range(0, 3)
                        .Select(c => (int)Math.Round(255 * values[((i * 3 + c) * height + y) * width + x])).ToArray();
        }
        var trace = Trace("image", ("z", rows));
        var ticks = Enumerable.Range(0, count).Select(i => i * (width + gap) + (width - 1) / 2.0).ToArray();
        var text = labels?.ToArray() ?? Enumerable.Range(1, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        if (text.Length != count) throw new ArgumentException($"{text.Length} labels for {count} images.", nameof(labels));
        int chartHeight = Math.Clamp(140 + 1100 * height / Math.Max(totalWidth, 1), 160, 420);
        var chart = BookChartStyle.Chart(new[] { trace }, title, null, null, height: chartHeight);
        chart.LayoutObject("xaxis").With(("tickvals", ticks), ("ticktext", text), ("showgrid", false));
        chart.LayoutObject("yaxis").With(("showticklabels", false), ("showgrid", false));
        return chart;
    }
}
