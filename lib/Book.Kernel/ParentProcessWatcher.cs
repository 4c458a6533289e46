using System.Diagnostics;

namespace Book.Kernel;

/// <summary>
/// Jupyter names the process that started the kernel in JPY_PARENT_PID. If that process dies without
/// shutting the kernel down (a crashed server, a killed terminal), the kernel must not live on as an orphan.
/// </summary>
public static class ParentProcessWatcher
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    public static int? ParentFromEnvironment() =>
        int.TryParse(Environment.GetEnvironmentVariable("JPY_PARENT_PID"), out var pid) && pid > 1 ? pid : null;

    /// <summary>Completes when the process has exited (or at once if it is already gone).</summary>
    public static async Task WaitForExitAsync(int pid, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(PollInterval);
        while (IsAlive(pid))
        {
            if (!await timer.WaitForNextTickAsync(cancellationToken))
                return;
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false; // No such process.
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
