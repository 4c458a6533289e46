namespace Book.Kernel;

/// <summary>
/// The cell running now, as the interrupt handler sees it. Interrupting cancels the cell's token and,
/// after a grace period, gives up on it: .NET cannot abort a thread, so a tight loop that never looks
/// at its token keeps running, and the kernel must say so instead of pretending it stopped.
/// </summary>
public sealed class InterruptibleCell(TimeSpan grace) : IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly TaskCompletionSource _gaveUp = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public CancellationToken Token => _cancellation.Token;

    /// <summary>Completes when the grace period after an interrupt has run out.</summary>
    public Task GaveUp => _gaveUp.Task;

    public bool WasInterrupted => _cancellation.IsCancellationRequested;

    public void Interrupt()
    {
        if (_cancellation.IsCancellationRequested)
            return;
        try
        {
            _cancellation.Cancel();
        }
        catch (AggregateException e)
        {
            // A callback the cell registered on its token threw; the interrupt itself still happened.
            KernelLog.Write($"a cancellation callback failed: {e.InnerException?.Message}");
        }
        catch (ObjectDisposedException)
        {
            return; // The cell finished in the meantime.
        }
        _ = Task.Delay(grace).ContinueWith(_ => _gaveUp.TrySetResult(), TaskScheduler.Default);
    }

    public void Dispose() => _cancellation.Dispose();
}
