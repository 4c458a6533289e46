namespace Book.Kernel;

/// <summary>
/// The kernel's diagnostics. They go to stderr, which Jupyter shows in the server's log;
/// stdout stays free because nothing reads it.
/// </summary>
public static class KernelLog
{
    public static void Write(string message) => Console.Error.WriteLine($"[csharp-book kernel] {message}");
}
