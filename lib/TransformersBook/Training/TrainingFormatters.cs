using Microsoft.DotNet.Interactive.Formatting;
using TransformersBook.Display;

namespace TransformersBook.Training;

/// <summary>Live progress as a small HTML block; a finished history as its loss chart.</summary>
public sealed class TrainingFormatters : IFormatterRegistration
{
    public void Register()
    {
        Formatter.Register<TrainingProgress>((p, w) => w.Write(p.ToHtml()), MimeTypes.Html);
        Formatter.Register<TrainingProgress>((p, w) => w.Write(p.ToPlainText()), MimeTypes.PlainText);
        BookFormatters.Prefer<TrainingProgress>(MimeTypes.Html);

        Formatter.Register<TrainingHistory>((h, w) => w.Write(h.Chart().ToJson()), MimeTypes.PlotlyJson);
        Formatter.Register<TrainingHistory>((h, w) => w.Write(h.Chart().ToHtml()), MimeTypes.Html);
        Formatter.Register<TrainingHistory>((h, w) => w.Write(h.ToString()), MimeTypes.PlainText);
        BookFormatters.Prefer<TrainingHistory>(BookFormatters.FigureMimeTypes);
    }
}
