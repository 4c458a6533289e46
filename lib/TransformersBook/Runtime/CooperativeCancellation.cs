namespace TransformersBook.Runtime;

/// <summary>
/// The running cell's cancellation token, as the book's notebook engine publishes it (AppContext data
/// "Book.CellCancellation", a boxed CancellationToken), so long loops stop between steps on an interrupt or a cell
/// time-out. Polyglot Notebooks publish nothing; then the token never fires and loops run to the end.
/// </summary>
public static class CooperativeCancellation
{
    /// <summary>The AppContext key the engine publishes the token under.</summary>
    public const string AppContextKey = "Book.CellCancellation";

    /// <summary>The current cell's token, or <see cref="CancellationToken.None"/> outside the engine.</summary>
    public static CancellationToken Current => AppContext.GetData(AppContextKey) is CancellationToken token ? token : CancellationToken.None;
}
