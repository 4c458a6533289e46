using Book.Engine.Execution;

namespace Book.Engine.Tests;

/// <summary>A session in a temporary notebook folder, and a one-line way to run a cell in it.</summary>
sealed class TestSession : IDisposable
{
    public TestSession(TimeSpan? cellTimeout = null, string? folder = null)
    {
        Folder = folder ?? Directory.CreateTempSubdirectory("book-engine-").FullName;
        Session = new NotebookSession(new SessionOptions(Folder, "test.ipynb")
        {
            CellTimeout = cellTimeout,
            SetCurrentDirectory = false,
            CancellationGrace = TimeSpan.FromSeconds(1),
        });
    }

    public string Folder { get; }
    public NotebookSession Session { get; }
    int cell;

    public async Task<(CellResult Result, RecordingSink Sink)> Run(string code, CancellationToken cancellationToken = default)
    {
        var sink = new RecordingSink();
        var result = await Session.ExecuteCellAsync(code, new CellLocation("test.ipynb", ++cell), sink, cancellationToken);
        return (result, sink);
    }

    public void Dispose() => Session.Dispose();
}
