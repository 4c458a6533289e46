using System.Text;
using Book.Engine;

namespace Book.Kernel;

/// <summary>
/// Coalesces a cell's stdout and stderr text into few stream messages, as ipykernel does: text waits until
/// <see cref="MaxChars"/> have gathered or <see cref="Interval"/> has passed since the first of it, whichever is sooner.
/// One message per line flooded iopub (100,000 lines were 100,000 messages) and was slow for every frontend.
/// Order is kept: text of the other stream, or an explicit <see cref="Flush"/> (before a display, a result or the
/// reply), first publishes what is pending. Safe from any thread.
/// </summary>
public sealed class StreamBatcher
{
    /// <summary>Flush once this many characters are pending: big enough to make floods cheap, small enough to show progress.</summary>
    public const int MaxChars = 64 * 1024;

    /// <summary>Text never waits longer than this (ipykernel's flush interval), so a slow cell's lines still appear live.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    private readonly Action<StreamName, string> _publish;
    private readonly int _maxChars;
    private readonly TimeSpan _interval;
    private readonly Lock _gate = new();
    private readonly StringBuilder _pending = new();
    private readonly Timer _timer;
    private StreamName _pendingStream;
    private bool _timerArmed;

    /// <param name="publish">Sends one stream message; called under the batcher's lock, so it must not block.</param>
    public StreamBatcher(Action<StreamName, string> publish, int maxChars = MaxChars, TimeSpan? interval = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxChars, 1);
        _publish = publish;
        _maxChars = maxChars;
        _interval = interval ?? Interval;
        _timer = new Timer(_ => OnTimer());
    }

    public void Write(StreamName stream, string text)
    {
        if (text.Length == 0)
            return;
        lock (_gate)
        {
            if (_pending.Length > 0 && stream != _pendingStream)
                FlushLocked();
            _pendingStream = stream;
            _pending.Append(text);
            if (_pending.Length >= _maxChars)
                FlushLocked();
            else if (!_timerArmed)
            {
                _timerArmed = true;
                _timer.Change(_interval, Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>Publishes whatever text is pending now.</summary>
    public void Flush()
    {
        lock (_gate)
            FlushLocked();
    }

    private void OnTimer()
    {
        lock (_gate)
        {
            _timerArmed = false;
            FlushLocked();
        }
    }

    private void FlushLocked()
    {
        if (_pending.Length == 0)
            return;
        var text = _pending.ToString();
        _pending.Clear();
        _publish(_pendingStream, text);
    }
}
