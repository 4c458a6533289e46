namespace TransformersBook.Display;

/// <summary>Which program runs the chapter's code.</summary>
public enum NotebookHostKind
{
    /// <summary>The book's own engine (its Jupyter kernel and `book run`).</summary>
    BookEngine,

    /// <summary>Microsoft's .NET Interactive engine: Polyglot Notebooks and the `.net-csharp` Jupyter kernel.</summary>
    DotNetInteractive,

    /// <summary>A compiled program: a chapter exported as a file-based app, a test, a benchmark.</summary>
    Program,
}

/// <summary>
/// Tells the engines apart by the assemblies they load, for the few places where they differ (what a chart is sent
/// as, where display output goes). Chapters never need it: they run unchanged in all three.
/// </summary>
public static class NotebookHost
{
    /// <summary>The host of this process.</summary>
    public static NotebookHostKind Current { get; } = Detect(AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName().Name ?? ""));

    /// <summary>The host that loaded assemblies of these names.</summary>
    public static NotebookHostKind Detect(IEnumerable<string> assemblyNames)
    {
        var names = assemblyNames.ToHashSet(StringComparer.Ordinal);
        if (names.Contains("Microsoft.DotNet.Interactive.CSharp")) return NotebookHostKind.DotNetInteractive;
        if (names.Contains("Book.Engine")) return NotebookHostKind.BookEngine;
        return NotebookHostKind.Program;
    }
}
