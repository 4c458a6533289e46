using System.Text.Json;
using System.Text.Json.Nodes;

namespace TransformersBook.Plotting;

/// <summary>
/// Builds Plotly objects (traces, layout, axes) attribute by attribute, setting exactly the plotly.js attributes a
/// chart needs (https://plotly.com/javascript/reference/) and nothing else.
/// </summary>
internal static class PlotlyObject
{
    /// <summary>Sets each (name, value) pair that has a value; returns the object.</summary>
    public static JsonObject With(this JsonObject target, params (string Name, object? Value)[] properties)
    {
        foreach (var (name, value) in properties)
            if (value is not null) target[name] = Node(value);
        return target;
    }

    /// <summary>A nested object such as {"color": "#0072B2", "width": 2}.</summary>
    public static JsonObject Object(params (string Name, object? Value)[] properties) => new JsonObject().With(properties);

    /// <summary>A trace of the given plotly type ("scatter", "bar", "heatmap", "image").</summary>
    public static JsonObject Trace(string type, params (string Name, object? Value)[] properties) =>
        Object(("type", type)).With(properties);

    /// <summary>Numbers for a JSON array: NaN and infinities become null (JSON has no NaN; Plotly leaves a gap).</summary>
    public static JsonArray Values(IEnumerable<double> values) =>
        new(values.Select(v => double.IsFinite(v) ? JsonValue.Create(v) : null).ToArray<JsonNode?>());

    static JsonNode? Node(object value) => value as JsonNode ?? JsonSerializer.SerializeToNode(value, value.GetType());
}
