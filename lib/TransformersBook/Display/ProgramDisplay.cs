using Microsoft.DotNet.Interactive.Formatting;
using TransformersBook.Plotting;

namespace TransformersBook.Display;

/// <summary>
/// <c>display(...)</c> for a compiled program, above all a chapter exported as a file-based app (`book export`): values
/// print as the book's plain-text form (tables, claims, progress), and a chart is also written as a standalone HTML
/// page in <see cref="FigureFolder"/> so it can be opened in a browser. In a notebook the engine's own
/// <c>display</c> is used instead; this one is imported only by exported apps.
/// </summary>
public static class ProgramDisplay
{
    static int figures;

    /// <summary>
    /// Where charts are written (created on the first chart): beside a file-based app, <c>chapter.figures/</c> for
    /// <c>chapter.cs</c> (.NET 10 tells an app its source file); otherwise <c>figures/</c> in the current folder.
    /// </summary>
    public static string FigureFolder { get; set; } =
        AppContext.GetData("EntryPointFilePath") is string source ? Path.ChangeExtension(source, ".figures") : "figures";

    /// <summary>Prints <paramref name="value"/> and returns a handle whose <c>Update</c> prints the new value.</summary>
    // Lower-case to match the notebook engines' display, which the exported cells call unchanged.
#pragma warning disable IDE1006
    public static ProgramDisplayHandle display(object? value, params string[] mimeTypes)
#pragma warning restore IDE1006
    {
        Show(value);
        return new ProgramDisplayHandle();
    }

    internal static void Show(object? value)
    {
        if (value is Figure figure) value = Save(figure);
        else if (value is IChartSource chart) Save(chart.Chart());
        Console.WriteLine(value is null ? "null" : Formatter.ToDisplayString(value, MimeTypes.PlainText));
    }

    static string Save(Figure figure)
    {
        Directory.CreateDirectory(FigureFolder);
        string path = Path.Combine(FigureFolder, $"figure-{Interlocked.Increment(ref figures):000}.html");
        File.WriteAllText(path, $"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{System.Net.WebUtility.HtmlEncode(figure.ToString())}</title></head>\n<body>\n{figure.ToHtml()}\n</body></html>\n");
        return $"{figure} → {path}";
    }
}

/// <summary>What <see cref="ProgramDisplay.display"/> returns: updates print the new value (a progress line).</summary>
public sealed class ProgramDisplayHandle
{
    public void Update(object? value) => ProgramDisplay.Show(value);
}
