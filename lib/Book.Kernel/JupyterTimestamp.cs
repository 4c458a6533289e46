using System.Globalization;

namespace Book.Kernel;

/// <summary>
/// Header dates: ISO 8601 in UTC with exactly six fractional digits. Python's datetime holds microseconds
/// and some of its parsers reject the seven digits that .NET's round-trip "o" format writes.
/// </summary>
public static class JupyterTimestamp
{
    public static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public static string Now() => Format(DateTimeOffset.UtcNow);
}
