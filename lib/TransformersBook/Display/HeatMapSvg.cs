using System.Globalization;
using System.Text;

namespace TransformersBook.Display;

/// <summary>
/// A small matrix as an inline SVG heat map, for tensor previews (attention weights, masks). Cells are grouped into
/// 32 colour levels and each level is one SVG path, which keeps a 64×64 map to a few tens of kilobytes. Values of
/// both signs use a diverging scale centred on zero (blue negative, red positive); others a sequential one (Viridis).
/// </summary>
public static class HeatMapSvg
{
    const int Levels = 32;
    static readonly string[] Viridis = { "#440154", "#3b528b", "#21918c", "#5ec962", "#fde725" };
    static readonly string[] Diverging = { "#2166ac", "#92c5de", "#f7f7f7", "#f4a582", "#b2182b" };
    const string NotFinite = "#9ca3af";

    /// <summary>The SVG for a rows × columns matrix stored row by row in <paramref name="values"/>.</summary>
    public static string Render(ReadOnlySpan<double> values, int rows, int columns)
    {
        if (rows <= 0 || columns <= 0 || values.Length != rows * columns)
            throw new ArgumentException($"{values.Length} values do not make a {rows}×{columns} matrix.", nameof(values));
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (var v in values)
        {
            if (!double.IsFinite(v)) continue;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        if (double.IsInfinity(min)) { min = 0; max = 0; }
        bool diverging = min < 0 && max > 0;
        double low = diverging ? -Math.Max(-min, max) : min;
        double high = diverging ? -low : max;
        var palette = diverging ? Diverging : Viridis;

        var paths = new StringBuilder[Levels + 1];
        for (int i = 0; i < values.Length; i++)
        {
            double v = values[i];
            int level = !double.IsFinite(v) ? Levels : high > low ? (int)Math.Min(Levels - 1, Math.Floor((v - low) / (high - low) * Levels)) : Levels / 2;
            var path = paths[level] ??= new StringBuilder();
            path.Append(CultureInfo.InvariantCulture, $"M{i % columns} {i / columns}h1v1h-1z");
        }

        int cell = Math.Clamp(256 / Math.Max(rows, columns), 4, 24);
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg class=\"book-heatmap\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{columns * cell}\" height=\"{rows * cell}\" viewBox=\"0 0 {columns} {rows}\" shape-rendering=\"crispEdges\" preserveAspectRatio=\"none\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title>{rows}×{columns}, from {NumberText.Format(min)} to {NumberText.Format(max)}</title>");
        for (int level = 0; level <= Levels; level++)
        {
            if (paths[level] is not { } path) continue;
            string color = level == Levels ? NotFinite : Interpolate(palette, (level + 0.5) / Levels);
            svg.Append("<path fill=\"").Append(color).Append("\" d=\"").Append(path).Append("\"/>");
        }
        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>The colour at <paramref name="t"/> in [0, 1] along evenly spaced anchor colours.</summary>
    static string Interpolate(string[] anchors, double t)
    {
        double position = Math.Clamp(t, 0, 1) * (anchors.Length - 1);
        int i = Math.Min((int)position, anchors.Length - 2);
        double f = position - i;
        var (r0, g0, b0) = Rgb(anchors[i]);
        var (r1, g1, b1) = Rgb(anchors[i + 1]);
        int r = (int)Math.Round(r0 + (r1 - r0) * f), g = (int)Math.Round(g0 + (g1 - g0) * f), b = (int)Math.Round(b0 + (b1 - b0) * f);
        return string.Create(CultureInfo.InvariantCulture, $"#{r:x2}{g:x2}{b:x2}");
    }

    static (int R, int G, int B) Rgb(string hex) =>
        (Convert.ToInt32(hex.Substring(1, 2), 16), Convert.ToInt32(hex.Substring(3, 2), 16), Convert.ToInt32(hex.Substring(5, 2), 16));
}
