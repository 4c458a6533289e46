using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Book.Engine.Notebooks;

namespace Book.Site;

/// <summary>
/// Makes a Plotly figure's inline data small. Numbers in JSON take up to 24 characters each (a float32 value widened to
/// double prints 17 digits), and one chart of 16,001 points was 526 KB of page. Long numeric arrays in traces (up to
/// three dimensions) become plotly.js's typed-array form (<c>{"dtype": "f4", "bdata": base64}</c>, 5⅓ characters a
/// number; "f8" when a value does not survive float32, "u1" for whole numbers 0–255 such as pixels), and an evenly
/// spaced x becomes <c>x0</c> and <c>dx</c>. plotly.js 2.28 and later draw
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
            var type = JsonText.StringOf(trace["type"]) ?? "scatter";
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

    /// <summary>
    /// The typed-array form of a long array of numbers, or of a rectangular matrix of them, or of a rectangular array of
    /// such matrices (an image's rows of RGB pixels); null for anything else.
    /// </summary>
    private static JsonObject? TypedArray(JsonArray values)
    {
        var shape = new List<int>();
        var flat = new List<double>();
        if (!Flatten(values, 0, shape, flat) || flat.Count < MinimumLength || shape.Contains(0)
            || flat.Count != shape.Aggregate(1L, (product, length) => product * length))
        {
            return null;
        }

        return Encode(flat.ToArray(), shape.Count == 1 ? null : string.Join(',', shape));
    }

    /// <summary>Appends the numbers of a rectangular array of up to three dimensions (plotly's limit) in row order.</summary>
    private static bool Flatten(JsonArray array, int depth, List<int> shape, List<double> flat)
    {
        if (depth == shape.Count)
        {
            shape.Add(array.Count);
        }
        else if (shape[depth] != array.Count)
        {
            return false;
        }

        if (array.Count > 0 && array[0] is JsonArray)
        {
            return depth < 2 && array.All(item => item is JsonArray inner && Flatten(inner, depth + 1, shape, flat));
        }

        if (depth + 1 < shape.Count || Numbers(array) is not { } numbers)
        {
            return false;
        }

        flat.AddRange(numbers);
        return true;
    }

    private static JsonObject Encode(double[] values, string? shape)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("plotly.js reads typed arrays as little-endian.");
        }

        // Whole numbers from 0 to 255 (an image's pixels) take one byte each.
        if (values.All(v => v is >= 0 and <= 255 && v == Math.Floor(v)))
        {
            var pixels = new JsonObject { ["dtype"] = "u1", ["bdata"] = Convert.ToBase64String(values.Select(v => (byte)v).ToArray()) };
            if (shape is not null)
            {
                pixels["shape"] = shape;
            }

            return pixels;
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
            if (array[i] is not JsonValue value || value.GetValueKind() != JsonValueKind.Number || Number(value) is not { } number || !double.IsFinite(number))
            {
                return null;
            }

            values[i] = number;
        }

        return values;
    }

    /// <summary>A number parsed from JSON converts to double; one built in code keeps its own type.</summary>
    private static double? Number(JsonValue value) =>
        value.TryGetValue(out double d) ? d
        : value.TryGetValue(out long l) ? l
        : value.TryGetValue(out int i) ? i
        : value.TryGetValue(out float f) ? f
        : value.TryGetValue(out decimal m) ? (double)m
        : null;

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
