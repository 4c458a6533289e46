using System.Globalization;

namespace TransformersBook.Display;

/// <summary>How the book writes numbers in tables, tensors and progress lines: short, invariant, comparable.</summary>
public static class NumberText
{
    /// <summary>Four significant digits; scientific notation for very large or small magnitudes.</summary>
    public static string Format(double value)
    {
        if (double.IsNaN(value)) return "NaN";
        if (double.IsPositiveInfinity(value)) return "∞";
        if (double.IsNegativeInfinity(value)) return "-∞";
        if (value == 0) return "0";
        double magnitude = Math.Abs(value);
        if (magnitude >= 1e6 || magnitude < 1e-3) return value.ToString("0.###e+0", CultureInfo.InvariantCulture);
        if (value == Math.Round(value) && magnitude < 1e6) return value.ToString("0", CultureInfo.InvariantCulture);
        return value.ToString("G4", CultureInfo.InvariantCulture);
    }

    /// <summary>A table cell: numbers through <see cref="Format(double)"/>, times as m:ss, everything else as text.</summary>
    public static string Cell(object? value) => value switch
    {
        null => "",
        double d => Format(d),
        float f => Format(f),
        decimal m => Format((double)m),
        int or long or short or byte or uint or ulong => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
        bool b => b ? "yes" : "no",
        TimeSpan t => Duration(t),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>A duration as h:mm:ss or m:ss.</summary>
    public static string Duration(TimeSpan t) =>
        t.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{t.Minutes}:{t.Seconds:00}");

    /// <summary>A rate with a k/M suffix (12.3k).</summary>
    public static string Rate(double perSecond) => perSecond switch
    {
        >= 1e6 => (perSecond / 1e6).ToString("0.0", CultureInfo.InvariantCulture) + "M",
        >= 1e3 => (perSecond / 1e3).ToString("0.0", CultureInfo.InvariantCulture) + "k",
        _ => perSecond.ToString("0", CultureInfo.InvariantCulture),
    };
}
