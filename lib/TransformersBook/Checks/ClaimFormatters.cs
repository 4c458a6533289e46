using Microsoft.DotNet.Interactive.Formatting;
using TransformersBook.Display;

namespace TransformersBook.Checks;

/// <summary>A checked claim shows as a coloured line in HTML, and as text elsewhere.</summary>
public sealed class ClaimFormatters : IFormatterRegistration
{
    public void Register()
    {
        Formatter.Register<ClaimResult>((c, w) => w.Write(c.ToHtml()), MimeTypes.Html);
        Formatter.Register<ClaimResult>((c, w) => w.Write(c.ToString()), MimeTypes.PlainText);
        BookFormatters.Prefer<ClaimResult>(MimeTypes.Html);
    }
}
