using Microsoft.DotNet.Interactive.Formatting;
using TransformersBook.Display;

namespace TransformersBook.Runtime;

/// <summary>The setup block and the device diagnostics print as plain text, in every front end.</summary>
public sealed class RuntimeFormatters : IFormatterRegistration
{
    public void Register()
    {
        Formatter.Register<BookContext>((c, w) => w.Write(c.ToString()), MimeTypes.PlainText);
        BookFormatters.Prefer<BookContext>(MimeTypes.PlainText);
        Formatter.Register<DeviceDiagnostics>((d, w) => w.Write(d.ToString()), MimeTypes.PlainText);
        BookFormatters.Prefer<DeviceDiagnostics>(MimeTypes.PlainText);
    }
}
