using Book.Engine;

namespace Book.Engine.Tests;

/// <summary>Keeps every output a cell produced, in order, for assertions.</summary>
sealed class RecordingSink : ICellOutputSink
{
    public List<(StreamName Stream, string Text)> Streams { get; } = new();
    public List<(MimeBundle Bundle, string Id, bool IsUpdate)> Displays { get; } = new();

    public void WriteStream(StreamName stream, string text)
    {
        lock (this) Streams.Add((stream, text));
    }

    public void WriteDisplay(MimeBundle bundle, string displayId, bool isUpdate)
    {
        lock (this) Displays.Add((bundle, displayId, isUpdate));
    }

    public string Stdout => string.Concat(Streams.Where(s => s.Stream == StreamName.Stdout).Select(s => s.Text));
    public string Stderr => string.Concat(Streams.Where(s => s.Stream == StreamName.Stderr).Select(s => s.Text));
}
