using System.Text.RegularExpressions;
using Book.Kernel;

namespace Book.Kernel.Tests;

public class JupyterTimestampTests
{
    [Fact]
    public void Formats_utc_iso8601_with_six_fractional_digits()
    {
        var time = new DateTimeOffset(2024, 3, 9, 14, 5, 7, TimeSpan.FromHours(2)).AddTicks(1234567);

        Assert.Equal("2024-03-09T12:05:07.123456Z", JupyterTimestamp.Format(time));
    }

    [Fact]
    public void Now_never_has_more_than_six_fractional_digits()
    {
        Assert.Matches(new Regex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$"), JupyterTimestamp.Now());
    }

    [Fact]
    public void Formatting_ignores_the_current_culture()
    {
        var saved = Thread.CurrentThread.CurrentCulture;
        try
        {
            Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("ar-SA");
            Assert.Equal("2024-01-02T03:04:05.000000Z", JupyterTimestamp.Format(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero)));
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = saved;
        }
    }
}
