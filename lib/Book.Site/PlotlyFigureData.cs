using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Book.Site;

/// <summary>
/// Makes a Plotly figure's inline data small. Numbers in JSON take up to 24 characters each (a float32 value widened to
/// double prints 17 digits), and one chart of 16,001 points was 526 KB of page. Long numeric arrays in traces become
/// plotly.js's typed-array form (<c>{"dtype": "f4", "bdata": base64}</c>, 5⅓ characters a number; "f8" when a value
/// does not survive float32), and an evenly spaced x becomes <c>x0</c> and <c>dx</c>. plotly.js 2.28 and later draw
/// both forms exactly as the plain arrays; the text stays valid JSON.
/// </summary>
internal static class PlotlyFigureData
{
    /// <summary>Arrays shorter than this stay plain JSON: readable, and too small to matter.</summary>
    internal const int MinimumLength = 64;

    // Attributes that hold one number per point (or per cell, for z) in the traces the book draws.
    private static readonly string[] NumericAttributes = ["x", "y", "z", "customdata", "r", "theta"];

    // Traces whose x may be given as x0 + i·dx (plotly's own attributes for these types).
    private static readonly HashSet<string> EvenlySpacedX = new(StringComparer.Ordinal) { "scatter", "scattergl", "bar" };

    public static JsonNode Compact(JsonNode figure)
    {
        var copy = figure.DeepClone();
        if (copy["data"] is not JsonArray traces)
        {
            return copy;
        }

        foreach (var trace in traces.OfType<JsonObject>())
        {
            var type = NotebookFile.StringOf(trace["type"]) ?? "scatter";
            if (EvenlySpacedX.Contains(type) && trace["x"] is JsonArray x && !trace.ContainsKey("x0") && !trace.ContainsKey("dx")
                && Numbers(x) is { Length: >= MinimumLength } xs && EvenStep(xs) is { } step)
            {
                trace.Remove("x");
                trace["x0"] = xs[0];
                trace["dx"] = step;
            }

            foreach (var name in NumericAttributes)
            {
                if (trace[name] is JsonArray values && TypedArray(values) is { } typed)
                {
                    trace[name] = typed;
                }
            }
        }

        return copy;
    }

    /// <summary>The typed-array form of a long array of numbers, or of a rectangular matrix of them; null for anything else.</summary>
    private static JsonObject? TypedArray(JsonArray values)
    {
        if (Numbers(values) is { Length: >= MinimumLength } flat)
        {
            return Encode(flat, null);
        }

        if (values.Count == 0 || values[0] is not JsonArray firstRow)
        {
            return null;
        }

        var columns = firstRow.Count;
        var matrix = new List<double>(values.Count * columns);
        foreach (var row in values)
        {
            if (row is not JsonArray cells || cells.Count != columns || Numbers(cells) is not { } rowValues)
            {
                return null;
            }

            matrix.AddRange(rowValues);
        }

        return matrix.Count >= MinimumLength && columns > 0
            ? Encode(matrix.ToArray(), string.Create(CultureInfo.InvariantCulture, $"{values.Count},{columns}"))
            : null;
    }

    private static JsonObject Encode(double[] values, string? shape)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("plotly.js reads typed arrays as little-endian.");
        }

        // float32 is plenty for a chart, unless a value would change by more than a millionth (or leave float's range).
        var asFloat = values.Select(v => (float)v).ToArray();
        var fitsFloat = values.Zip(asFloat).All(pair => pair.First == pair.Second
            || (float.IsFinite(pair.Second) && Math.Abs(pair.First - pair.Second) <= 1e-6 * Math.Abs(pair.First)));
        var bytes = fitsFloat ? MemoryMarshal.AsBytes(asFloat.AsSpan()).ToArray() : MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

        var typed = new JsonObject { ["dtype"] = fitsFloat ? "f4" : "f8", ["bdata"] = Convert.ToBase64String(bytes) };
        if (shape is not null)
        {
            typed["shape"] = shape;
        }

        return typed;
    }

    /// <summary>The array's values when every element is a finite JSON number; null otherwise (strings, nulls, dates).</summary>
    private static double[]? Numbers(JsonArray array)
    {
        var values = new double[array.Count];
        for (var i = 0; i < values.Length; i++)
        {
            if (array[i] is not JsonValue value || value.GetValueKind() != JsonValueKind.Number || !value.TryGetValue(out double number) || !double.IsFinite(number))
            {
                return null;
            }

            values[i] = number;
        }

        return values;
    }

    /// <summary>The common step of an evenly spaced, increasing or decreasing sequence (to a millionth of the step), or null.</summary>
    private static double? EvenStep(double[] values)
    {
        var step = (values[^1] - values[0]) / (values.Length - 1);
        if (step == 0 || !double.IsFinite(step))
        {
            return null;
        }

        for (var i = 0; i < values.Length; i++)
        {
            if (Math.Abs(values[0] + (i * step) - values[i]) > 1e-6 * Math.Abs(step))
            {
                return null;
            }
        }

        return step;
    }
}
