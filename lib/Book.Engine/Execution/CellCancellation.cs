namespace Book.Engine.Execution;

/// <summary>
/// Publishes the running cell's cancellation token where library code can find it without referencing the engine:
/// AppContext data "Book.CellCancellation" holds a boxed CancellationToken. The book's training loop checks it, so an
/// interrupt or a cell time-out stops training between steps. In Polyglot nothing is published and loops run to the end.
/// </summary>
public static class CellCancellation
{
    public const string AppContextKey = "Book.CellCancellation";

    public static void Publish(CancellationToken token) => AppContext.SetData(AppContextKey, token);

    public static void Clear() => AppContext.SetData(AppContextKey, null);
}
