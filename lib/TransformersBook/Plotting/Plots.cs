using TorchSharp;
using static TransformersBook.Plotting.PlotlyObject;

namespace TransformersBook.Plotting;

/// <summary>
/// The book's charts, in one call each and one style (<see cref="BookChartStyle"/>). Each method returns a
/// <see cref="Figure"/>, which a cell displays by ending with it and can refine by setting Plotly attributes.
/// </summary>
public static class Plots
{
    /// <summary>Lines, one per series (loss curves, accuracy against length).</summary>
    /// <param name="series">The lines; each has its own name in the legend.</param>
    /// <param name="title">The chart title.</param>
    /// <param name="xTitle">The x axis title.</param>
    /// <param name="yTitle">The y axis title.</param>
    /// <param name="logY">A logarithmic y axis (losses over orders of magnitude, scaling laws).</param>
    /// <param name="logX">A logarithmic x axis.</param>
    /// <param name="markers">Draw a marker at every point as well.</param>
    public static Figure Line(
        IEnumerable<Series> series, string? title = null, string? xTitle = null, string? yTitle = null,
        bool logY = false, bool logX = false, bool markers = false)
    {
        var traces = series.Select((s, i) => Trace("scatter",
            ("x", Values(s.X)), ("y", Values(s.Y)), ("name", s.Name), ("showlegend", true),
            ("mode", markers ? "lines+markers" : "lines"),
            ("line", Object(("color", BookChartStyle.SeriesColor(i)), ("width", 2))),
            ("marker", Object(("color", BookChartStyle.SeriesColor(i)))))).ToList();
        RequireSome(traces.Count, nameof(series));
        return BookChartStyle.Chart(traces, title, xTitle, yTitle, logX, logY);
    }

    /// <summary>One line through (x, y).</summary>
    public static Figure Line(
        IEnumerable<double> x, IEnumerable<double> y, string name = "", string? title = null, string? xTitle = null,
        string? yTitle = null, bool logY = false, bool logX = false) =>
        Line(new[] { Series.Of(name, x, y) }, title, xTitle, yTitle, logY, logX);

    /// <summary>Points, one colour per series (embeddings, measured pairs).</summary>
    /// <param name="series">The point sets.</param>
    /// <param name="title">The chart title.</param>
    /// <param name="xTitle">The x axis title.</param>
    /// <param name="yTitle">The y axis title.</param>
    /// <param name="logY">A logarithmic y axis.</param>
    /// <param name="logX">A logarithmic x axis.</param>
    /// <param name="labels">Hover texts, per series, per point (optional).</param>
    public static Figure Scatter(
        IEnumerable<Series> series, string? title = null, string? xTitle = null, string? yTitle = null,
        bool logY = false, bool logX = false, IReadOnlyList<IReadOnlyList<string>>? labels = null)
    {
        var traces = series.Select((s, i) => Trace("scatter",
            ("x", Values(s.X)), ("y", Values(s.Y)), ("name", s.Name), ("showlegend", true), ("mode", "markers"),
            ("text", labels is not null && i < labels.Count ? labels[i].ToArray() : null),
            ("marker", Object(("color", BookChartStyle.SeriesColor(i)), ("size", 7))))).ToList();
        RequireSome(traces.Count, nameof(series));
        return BookChartStyle.Chart(traces, title, xTitle, yTitle, logX, logY);
    }

    /// <summary>Points at (x, y), with optional hover labels.</summary>
    public static Figure Scatter(
        IEnumerable<double> x, IEnumerable<double> y, string name = "", string? title = null, string? xTitle = null,
        string? yTitle = null, IEnumerable<string>? labels = null) =>
        Scatter(new[] { Series.Of(name, x, y) }, title, xTitle, yTitle,
            labels: labels is null ? null : new[] { (IReadOnlyList<string>)labels.ToArray() });

    /// <summary>Vertical bars, one per category.</summary>
    public static Figure Bar(
        IEnumerable<string> categories, IEnumerable<double> values, string name = "", string? title = null,
        string? xTitle = null, string? yTitle = null, bool logY = false) =>
        Bar(categories, new[] { (name, values) }, title, xTitle, yTitle, logY);

    /// <summary>Grouped vertical bars: for each category, one bar per group (methods compared on several tasks).</summary>
    public static Figure Bar(
        IEnumerable<string> categories, IEnumerable<(string Name, IEnumerable<double> Values)> groups, string? title = null,
        string? xTitle = null, string? yTitle = null, bool logY = false)
    {
        var keys = categories.ToArray();
        var traces = groups.Select((g, i) =>
        {
            var values = g.Values.ToArray();
            if (values.Length != keys.Length)
                throw new ArgumentException($"Bar group '{g.Name}' has {values.Length} values for {keys.Length} categories.", nameof(groups));
            return Trace("bar",
                ("x", keys), ("y", Values(values)), ("name", g.Name), ("showlegend", g.Name.Length > 0),
                ("marker", Object(("color", BookChartStyle.SeriesColor(i)))));
        }).ToList();
        RequireSome(traces.Count, nameof(groups));
        return BookChartStyle.Chart(traces, title, xTitle, yTitle, logY: logY, categoricalX: true, layoutExtras: ("barmode", "group"));
    }

    /// <summary>
    /// A matrix as colours (attention weights, confusion matrices). Row 0 is drawn at the top, as a matrix is read.
    /// Values of both signs get a diverging scale centred on zero; otherwise a sequential one (Viridis).
    /// </summary>
    /// <param name="values">The matrix, values[row][column].</param>
    /// <param name="rowLabels">Labels of the rows (y axis), e.g. query tokens.</param>
    /// <param name="columnLabels">Labels of the columns (x axis), e.g. key tokens.</param>
    /// <param name="title">The chart title.</param>
    /// <param name="xTitle">The x axis title.</param>
    /// <param name="yTitle">The y axis title.</param>
    public static Figure Heatmap(
        IReadOnlyList<IReadOnlyList<double>> values, IEnumerable<string>? rowLabels = null, IEnumerable<string>? columnLabels = null,
        string? title = null, string? xTitle = null, string? yTitle = null)
    {
        int rows = values.Count;
        int columns = rows == 0 ? 0 : values[0].Count;
        if (rows == 0 || columns == 0) throw new ArgumentException("A heat map needs at least one row and one column.", nameof(values));
        if (values.Any(r => r.Count != columns)) throw new ArgumentException("Every row of a heat map must have the same length.", nameof(values));
        var finite = values.SelectMany(r => r).Where(double.IsFinite).DefaultIfEmpty(0).ToList();
        double min = finite.Min(), max = finite.Max();
        bool diverging = min < 0 && max > 0;
        double bound = Math.Max(-min, max);
        var trace = Trace("heatmap",
            ("z", values.Select(r => Values(r)).ToArray()),
            ("x", Labels(columnLabels, columns, nameof(columnLabels))),
            ("y", Labels(rowLabels, rows, nameof(rowLabels))),
            ("colorscale", diverging ? "RdBu" : "Viridis"),
            ("reversescale", diverging ? true : null),
            ("zmin", diverging ? -bound : null),
            ("zmid", diverging ? 0.0 : null),
            ("zmax", diverging ? bound : null));
        int height = Math.Clamp(80 + 22 * rows, 240, 720);
        var chart = BookChartStyle.Chart(new[] { trace }, title, xTitle, yTitle, height: height, categoricalX: true, categoricalY: true);
        // Matrices are read top-down: row 0 at the top.
        chart.LayoutObject("yaxis")["autorange"] = "reversed";
        return chart;
    }

    /// <summary>A heat map of a 2-D tensor (copied to the CPU; not modified).</summary>
    public static Figure Heatmap(
        torch.Tensor matrix, IEnumerable<string>? rowLabels = null, IEnumerable<string>? columnLabels = null,
        string? title = null, string? xTitle = null, string? yTitle = null)
    {
        if (matrix.dim() != 2) throw new ArgumentException($"A heat map needs a 2-D tensor; this one has shape [{string.Join(", ", matrix.shape)}].", nameof(matrix));
        using var scope = torch.NewDisposeScope();
        int columns = (int)matrix.shape[1];
        var flat = matrix.detach().cpu().to_type(torch.ScalarType.Float64).contiguous().data<double>().ToArray();
        var rows = Enumerable.Range(0, (int)matrix.shape[0])
            .Select(r => (IReadOnlyList<double>)flat.AsSpan(r * columns, columns).ToArray())
            .ToList();
        return Heatmap(rows, rowLabels, columnLabels, title, xTitle, yTitle);
    }

    static string[] Labels(IEnumerable<string>? labels, int count, string parameter)
    {
        if (labels is null) return Enumerable.Range(0, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var names = labels.ToArray();
        if (names.Length != count) throw new ArgumentException($"{names.Length} labels for {count} rows or columns.", parameter);
        // Plotly merges equal category names; keep repeated tokens apart with zero-width spaces.
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < names.Length; i++)
        {
            int n = seen.TryGetValue(names[i], out var c) ? c + 1 : 0;
            seen[names[i]] = n;
            if (n > 0) names[i] += new string('\u200b', n);
        }
        return names;
    }

    static void RequireSome(int count, string parameter)
    {
        if (count == 0) throw new ArgumentException("A chart needs at least one series.", parameter);
    }
}
