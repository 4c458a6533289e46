using System.Diagnostics;
using System.Globalization;

namespace TransformersBook.Runtime;

/// <summary>
/// The process's resident memory, which includes libtorch's CPU allocations that the .NET GC does not see: a tensor
/// that is never disposed shows up here, not in <see cref="GC.GetTotalMemory(bool)"/>.
/// </summary>
public static class ProcessMemory
{
    /// <summary>Resident set size in bytes (from /proc/self/statm on Linux, the working set elsewhere).</summary>
    public static long ResidentBytes()
    {
        if (OperatingSystem.IsLinux())
        {
            // statm: size resident shared text lib data dt, in pages.
            string[] fields = File.ReadAllText("/proc/self/statm").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return long.Parse(fields[1], CultureInfo.InvariantCulture) * Environment.SystemPageSize;
        }
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    /// <summary>
    /// Resident memory minus what the .NET GC has committed: mostly libtorch's CPU allocations and native code. The GC
    /// keeps committed memory after a collection for reuse, so this, not <see cref="ResidentBytes"/>, shows whether
    /// tensors leak.
    /// </summary>
    public static long NativeBytes() => ResidentBytes() - GC.GetGCMemoryInfo().TotalCommittedBytes;
}
