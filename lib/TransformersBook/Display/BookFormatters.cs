using Microsoft.DotNet.Interactive.Formatting;
using TorchSharp;
using TransformersBook.Plotting;

namespace TransformersBook.Display;

/// <summary>
/// Registers how the book's values look in notebooks, through Microsoft.DotNet.Interactive.Formatting, the registry
/// both the book's engine and Polyglot Notebooks use: tensors (HTML with heat map, text), charts (Plotly figure
/// JSON and HTML) and tables here; claims, training progress and history and the setup block through their namespaces'
/// <see cref="IFormatterRegistration"/>. Called by the book's setup (Runtime.BookSetup.Start); idempotent.
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

            // Claims, training and runtime values register themselves (IFormatterRegistration), in a fixed order.
            var registrations = LoadableTypes(typeof(BookFormatters).Assembly.GetTypes)
                .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IFormatterRegistration).IsAssignableFrom(t))
                .OrderBy(t => t.FullName, StringComparer.Ordinal);
            foreach (var type in registrations) ((IFormatterRegistration)Activator.CreateInstance(type)!).Register();
        }
    }

    /// <summary>
    /// The types of the library that load. A notebook that references the library without one of the packages it
    /// builds on (ILGPU, Microsoft.ML.Tokenizers, ...) cannot load the types that use that package; the formatters
    /// do not need them, so setup goes on with the rest instead of failing on a package the notebook never calls.
    /// </summary>
    internal static IEnumerable<Type> LoadableTypes(Func<Type[]> getTypes)
    {
        try
        {
            return getTypes();
        }
        catch (System.Reflection.ReflectionTypeLoadException partial)
        {
            return partial.Types.OfType<Type>();
        }
    }

    internal static void Prefer<T>(params string[] mimeTypes) => Formatter.SetPreferredMimeTypesFor(typeof(T), mimeTypes);

    /// <summary>What a chart is sent as in this process's notebook engine.</summary>
    internal static string[] FigureMimeTypes => NotebookHost.Current == NotebookHostKind.DotNetInteractive
        ? new[] { MimeTypes.Html }
        : new[] { MimeTypes.PlotlyJson, MimeTypes.Html };
}
