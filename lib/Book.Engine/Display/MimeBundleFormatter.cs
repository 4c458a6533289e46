using Microsoft.DotNet.Interactive.Formatting;

namespace Book.Engine.Display;

/// <summary>
/// Turns a value into a MIME bundle through Microsoft.DotNet.Interactive.Formatting, the registry the Polyglot
/// kernel uses, so a formatter the book's library registers looks the same in Polyglot, the kernel and the runner.
/// As in Polyglot: strings are text/plain; other values use their preferred type (text/html by default), and the
/// bundle also carries text/plain for front ends and tests that read only that.
/// </summary>
public static class MimeBundleFormatter
{
    const string PlainText = "text/plain";

    public static MimeBundle Format(object? value, IReadOnlyList<string>? mimeTypes = null)
    {
        var data = new Dictionary<string, string>();
        if (mimeTypes is { Count: > 0 })
        {
            foreach (var mime in mimeTypes) data[mime] = Formatter.ToDisplayString(value, mime);
            return new MimeBundle(data);
        }
        if (value is string text)
        {
            data[PlainText] = text;
            return new MimeBundle(data);
        }
        var preferred = value is null ? new[] { PlainText } : Formatter.GetPreferredMimeTypesFor(value.GetType()).ToArray();
        foreach (var mime in preferred.DefaultIfEmpty(HtmlFormatter.MimeType)) data[mime] = Formatter.ToDisplayString(value, mime);
        if (!data.ContainsKey(PlainText)) data[PlainText] = Formatter.ToDisplayString(value, PlainText);
        return new MimeBundle(data);
    }
}
