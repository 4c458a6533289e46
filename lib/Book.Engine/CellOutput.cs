namespace Book.Engine;

/// <summary>Which standard stream a piece of cell output was written to.</summary>
public enum StreamName { Stdout, Stderr }

/// <summary>
/// A Jupyter MIME bundle: one rendering of a value per MIME type ("text/plain", "text/html", ...).
/// </summary>
public sealed record MimeBundle(IReadOnlyDictionary<string, string> Data)
{
    public static MimeBundle PlainText(string text) => new(new Dictionary<string, string> { ["text/plain"] = text });
}

/// <summary>
/// Where a running cell's outputs go. The headless runner appends them to the executed notebook;
/// the Jupyter kernel publishes them on iopub. Calls may come from any thread, in the order they happened.
/// </summary>
public interface ICellOutputSink
{
    void WriteStream(StreamName stream, string text);

    /// <summary>A display (isUpdate=false) or the replacement of an earlier one with the same id (isUpdate=true).</summary>
    void WriteDisplay(MimeBundle bundle, string displayId, bool isUpdate);
}

/// <summary>How a cell ended.</summary>
public enum CellOutcome { Completed, Failed, TimedOut, Cancelled }

/// <summary>
/// Why a cell failed. Kind is one of "CompilationError", "DirectiveError", "RuntimeError", "TimedOut", "Cancelled".
/// Line is 1-based within the cell when known. Message already names notebook, cell and line.
/// </summary>
public sealed record CellFailure(string Kind, string Message, int? Line, IReadOnlyList<string> Traceback);

/// <summary>The result of one cell: the last expression's value (if any) or the failure.</summary>
public sealed record CellResult(CellOutcome Outcome, MimeBundle? ReturnValue, CellFailure? Failure, TimeSpan Elapsed);

/// <summary>Names a cell in messages: "chapters/x.ipynb, cell 3".</summary>
public sealed record CellLocation(string NotebookName, int CellNumber)
{
    public string Describe(int? line = null) =>
        line is int l ? $"{NotebookName}, cell {CellNumber}, line {l}" : $"{NotebookName}, cell {CellNumber}";
}
