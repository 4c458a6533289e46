using Microsoft.DotNet.Interactive.Formatting;
using TorchSharp;
using TransformersBook.Checks;
using TransformersBook.Plotting;
using TransformersBook.Runtime;
using TransformersBook.Training;

namespace TransformersBook.Display;

/// <summary>
/// Registers how the book's values look in notebooks, through Microsoft.DotNet.Interactive.Formatting, the registry
/// both the book's engine and Polyglot Notebooks use: tensors (HTML with heat map, text), charts (Plotly figure
/// JSON and HTML), tables, claims, training progress and history. Called by <see cref="BookSetup.Start(string, int)"/>; idempotent.
/// </summary>
public static class BookFormatters
{
    static readonly object Gate = new();
    static bool registered;

    public static void Register()
    {
        lock (Gate)
        {
            if (registered) return;
            registered = true;
            if (NotebookHost.Current == NotebookHostKind.DotNetInteractive) ProducedDisplays.Track();

            Formatter.Register<torch.Tensor>((t, w) => w.Write(TensorFormatter.ToHtml(t)), MimeTypes.Html);
            Formatter.Register<torch.Tensor>((t, w) => w.Write(TensorFormatter.ToPlainText(t)), MimeTypes.PlainText);
            Prefer<torch.Tensor>(MimeTypes.Html);

            // Figures: plotly's JSON where the front end receives it as JSON (the book's engine and kernel), HTML that
            // draws it everywhere. The .NET Interactive engine sends every formatted value as a string, and a Jupyter
            // front end handed plotly JSON as a string draws an empty chart, so there the HTML form comes first.
            Formatter.Register<Figure>((f, w) => w.Write(f.ToJson()), MimeTypes.PlotlyJson);
            Formatter.Register<Figure>((f, w) => w.Write(f.ToHtml()), MimeTypes.Html);
            Formatter.Register<Figure>((f, w) => w.Write(f.ToString()), MimeTypes.PlainText);
            Prefer<Figure>(FigureMimeTypes);

            Formatter.Register<Table>((t, w) => w.Write(t.ToHtml()), MimeTypes.Html);
            Formatter.Register<Table>((t, w) => w.Write(t.ToPlainText()), MimeTypes.PlainText);
            Prefer<Table>(MimeTypes.Html);

            Formatter.Register<ClaimResult>((c, w) => w.Write(c.ToHtml()), MimeTypes.Html);
            Formatter.Register<ClaimResult>((c, w) => w.Write(c.ToString()), MimeTypes.PlainText);
            Prefer<ClaimResult>(MimeTypes.Html);

            Formatter.Register<TrainingProgress>((p, w) => w.Write(p.ToHtml()), MimeTypes.Html);
            Formatter.Register<TrainingProgress>((p, w) => w.Write(p.ToPlainText()), MimeTypes.PlainText);
            Prefer<TrainingProgress>(MimeTypes.Html);

            Formatter.Register<TrainingHistory>((h, w) => w.Write(h.Chart().ToJson()), MimeTypes.PlotlyJson);
            Formatter.Register<TrainingHistory>((h, w) => w.Write(h.Chart().ToHtml()), MimeTypes.Html);
            Formatter.Register<TrainingHistory>((h, w) => w.Write(h.ToString()), MimeTypes.PlainText);
            Prefer<TrainingHistory>(FigureMimeTypes);

            Formatter.Register<BookContext>((c, w) => w.Write(c.ToString()), MimeTypes.PlainText);
            Prefer<BookContext>(MimeTypes.PlainText);
            Formatter.Register<DeviceDiagnostics>((d, w) => w.Write(d.ToString()), MimeTypes.PlainText);
            Prefer<DeviceDiagnostics>(MimeTypes.PlainText);
        }
    }

    static void Prefer<T>(params string[] mimeTypes) => Formatter.SetPreferredMimeTypesFor(typeof(T), mimeTypes);

    /// <summary>What a chart is sent as in this process's notebook engine.</summary>
    internal static string[] FigureMimeTypes => NotebookHost.Current == NotebookHostKind.DotNetInteractive
        ? new[] { MimeTypes.Html }
        : new[] { MimeTypes.PlotlyJson, MimeTypes.Html };
}
