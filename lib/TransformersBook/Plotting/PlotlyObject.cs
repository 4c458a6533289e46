namespace TransformersBook.Plotting;

/// <summary>
/// Builds Plotly objects (traces, layout, axes) property by property. Plotly.NET's F# functions take dozens of
/// optional F# arguments that C# must all spell out; its objects are dynamic property bags, so the facade sets
/// exactly the Plotly.js attributes it needs (https://plotly.com/javascript/reference/) and nothing else.
/// </summary>
internal static class PlotlyObject
{
    /// <summary>Sets each (name, value) pair that has a value; returns the object.</summary>
    public static T With<T>(this T target, params (string Name, object? Value)[] properties) where T : DynamicObj.DynamicObj
    {
        foreach (var (name, value) in properties)
            if (value is not null) target.SetProperty(name, value);
        return target;
    }

    /// <summary>A nested object such as {"color": "#0072B2", "width": 2}.</summary>
    public static DynamicObj.DynamicObj Object(params (string Name, object? Value)[] properties) => new DynamicObj.DynamicObj().With(properties);

    /// <summary>Numbers for a JSON array: NaN and infinities become null (JSON has no NaN; Plotly leaves a gap).</summary>
    public static object?[] Values(IEnumerable<double> values) => values.Select(v => double.IsFinite(v) ? (object?)v : null).ToArray();
}
