using System.Diagnostics;

namespace Book.Engine.Running;

/// <summary>What a started process printed and whether it had to be stopped.</summary>
/// <param name="TimedOut">True when the limit passed (or the run was cancelled) and the process tree was killed.</param>
sealed record ProcessOutcome(bool TimedOut, int ExitCode, string Stdout, string Stderr);

/// <summary>
/// Waits for a started process under a time limit, reading both streams as it runs; past the limit, or on cancellation,
/// kills the whole tree (a notebook's kernel or child included) so nothing is left behind. Both runners use it.
/// </summary>
static class TimedProcess
{
    public static async Task<ProcessOutcome> WaitAsync(Process process, TimeSpan limit, CancellationToken cancellationToken)
    {
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        bool timedOut = false;
        try { await process.WaitForExitAsync(deadline.Token); }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            timedOut = true;
        }
        return new ProcessOutcome(timedOut, timedOut ? -1 : process.ExitCode, await Read(stdout), await Read(stderr));
    }

    /// <summary>A stream's text; empty when reading it was cancelled with the run.</summary>
    static async Task<string> Read(Task<string> text)
    {
        try { return await text; }
        catch (OperationCanceledException) { return ""; }
    }
}
