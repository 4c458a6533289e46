using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;
using TorchSharp;
using TransformersBook.Checks;
using TransformersBook.Runtime;
using TransformersBook.Training;

namespace TransformersBook.Display;

/// <summary>
/// Registers how the book's values look in notebooks, through Microsoft.DotNet.Interactive.Formatting, the registry
/// both the book's engine and Polyglot Notebooks use: tensors (HTML with heat map, text), Plotly charts (Plotly figure
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

            Formatter.Register<torch.Tensor>((t, w) => w.Write(TensorFormatter.ToHtml(t)), MimeTypes.Html);
            Formatter.Register<torch.Tensor>((t, w) => w.Write(TensorFormatter.ToPlainText(t)), MimeTypes.PlainText);
            Prefer<torch.Tensor>(MimeTypes.Html);

            // GenericChart is an F# union: values are of its nested case types, so those get preferences too.
            Formatter.Register<GenericChart>((c, w) => w.Write(PlotlyFigure.ToJson(c)), MimeTypes.PlotlyJson);
            Formatter.Register<GenericChart>((c, w) => w.Write(PlotlyFigure.ToHtml(c)), MimeTypes.Html);
            Formatter.Register<GenericChart>((c, w) => w.Write(DescribeChart(c)), MimeTypes.PlainText);
            foreach (var type in new[] { typeof(GenericChart), typeof(GenericChart.Chart), typeof(GenericChart.MultiChart) })
                Formatter.SetPreferredMimeTypesFor(type, MimeTypes.PlotlyJson, MimeTypes.Html);

            Formatter.Register<Table>((t, w) => w.Write(t.ToHtml()), MimeTypes.Html);
            Formatter.Register<Table>((t, w) => w.Write(t.ToPlainText()), MimeTypes.PlainText);
            Prefer<Table>(MimeTypes.Html);

            Formatter.Register<ClaimResult>((c, w) => w.Write(c.ToHtml()), MimeTypes.Html);
            Formatter.Register<ClaimResult>((c, w) => w.Write(c.ToString()), MimeTypes.PlainText);
            Prefer<ClaimResult>(MimeTypes.Html);

            Formatter.Register<TrainingProgress>((p, w) => w.Write(p.ToHtml()), MimeTypes.Html);
            Formatter.Register<TrainingProgress>((p, w) => w.Write(p.ToPlainText()), MimeTypes.PlainText);
            Prefer<TrainingProgress>(MimeTypes.Html);

            Formatter.Register<TrainingHistory>((h, w) => w.Write(PlotlyFigure.ToJson(h.Chart())), MimeTypes.PlotlyJson);
            Formatter.Register<TrainingHistory>((h, w) => w.Write(PlotlyFigure.ToHtml(h.Chart())), MimeTypes.Html);
            Formatter.Register<TrainingHistory>((h, w) => w.Write(h.ToString()), MimeTypes.PlainText);
            Prefer<TrainingHistory>(MimeTypes.PlotlyJson, MimeTypes.Html);

            Formatter.Register<BookContext>((c, w) => w.Write(c.ToString()), MimeTypes.PlainText);
            Prefer<BookContext>(MimeTypes.PlainText);
            Formatter.Register<DeviceDiagnostics>((d, w) => w.Write(d.ToString()), MimeTypes.PlainText);
            Prefer<DeviceDiagnostics>(MimeTypes.PlainText);
        }
    }

    static void Prefer<T>(params string[] mimeTypes) => Formatter.SetPreferredMimeTypesFor(typeof(T), mimeTypes);

    static string DescribeChart(GenericChart chart)
    {
        int traces = GenericChart.countTrace(chart);
        return $"Plotly chart ({traces} trace{(traces == 1 ? "" : "s")}); shown as a figure in notebooks";
    }
}
