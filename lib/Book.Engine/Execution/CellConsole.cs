using System.Text;

namespace Book.Engine.Execution;

/// <summary>
/// Captures Console.Out and Console.Error for the running cell. The redirection is process-wide (a notebook runs
/// one cell at a time), writes are buffered to whole lines (or a carriage return, for progress text) and flushed
/// at the end of the cell; with no cell running, text goes to the process's own streams.
/// </summary>
public static class CellConsole
{
    static readonly object Gate = new();
    static TextWriter? originalOut, originalError;
    static ICellOutputSink? current;
    static CellWriter? outWriter, errorWriter;

    public static void Begin(ICellOutputSink sink)
    {
        lock (Gate)
        {
            if (originalOut is null)
            {
                originalOut = Console.Out;
                originalError = Console.Error;
                outWriter = new CellWriter(StreamName.Stdout, originalOut);
                errorWriter = new CellWriter(StreamName.Stderr, originalError);
                Console.SetOut(outWriter);
                Console.SetError(errorWriter);
            }
            current = sink;
        }
    }

    public static void End()
    {
        lock (Gate)
        {
            outWriter?.FlushPending();
            errorWriter?.FlushPending();
            current = null;
        }
    }

    /// <summary>The process's real standard error, for engine diagnostics that must not land in a cell.</summary>
    public static TextWriter OriginalError => originalError ?? Console.Error;

    sealed class CellWriter(StreamName stream, TextWriter fallback) : TextWriter
    {
        readonly StringBuilder pending = new();

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value) => Append(value.ToString());

        public override void Write(string? value) => Append(value);

        public override void Write(char[] buffer, int index, int count) => Append(new string(buffer, index, count));

        public override void Flush() => FlushPending();

        void Append(string? text)
        {
            if (string.IsNullOrEmpty(text)) return;
            lock (Gate)
            {
                if (current is null)
                {
                    fallback.Write(text);
                    return;
                }
                int searched = pending.Length;
                pending.Append(text);
                // Only the new text can hold a new line break: scanning all that is pending made one long line quadratic.
                int cut = LastBreak(pending, searched);
                if (cut < 0) return;
                string complete = pending.ToString(0, cut + 1);
                pending.Remove(0, cut + 1);
                current.WriteStream(stream, complete);
            }
        }

        internal void FlushPending()
        {
            lock (Gate)
            {
                if (pending.Length == 0) return;
                string text = pending.ToString();
                pending.Clear();
                if (current is null) fallback.Write(text);
                else current.WriteStream(stream, text);
            }
        }

        static int LastBreak(StringBuilder text, int from)
        {
            for (int i = text.Length - 1; i >= from; i--)
                if (text[i] is '\n' or '\r') return i;
            return -1;
        }
    }
}
