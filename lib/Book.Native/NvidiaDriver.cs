namespace Book.Native;

/// <summary>
/// Whether an NVIDIA kernel driver is present, without loading any CUDA library: on Linux the driver exposes
/// /proc/driver/nvidia and the device node /dev/nvidia0. Without a driver no libtorch can use CUDA, so the book
/// does not even look for one (and never starts Python to find PyTorch).
/// </summary>
public static class NvidiaDriver
{
    /// <summary>The path that shows a driver is loaded, or null when there is none.</summary>
    public static string? Evidence()
    {
        if (OperatingSystem.IsWindows())
        {
            string nvcuda = Path.Combine(Environment.SystemDirectory, "nvcuda.dll");
            return File.Exists(nvcuda) ? nvcuda : null;
        }
        if (Directory.Exists("/proc/driver/nvidia")) return "/proc/driver/nvidia";
        if (File.Exists("/dev/nvidia0")) return "/dev/nvidia0";
        return null;
    }

    /// <summary>The driver's own version line (from /proc/driver/nvidia/version), when it can be read.</summary>
    public static string? Version()
    {
        const string versionFile = "/proc/driver/nvidia/version";
        try
        {
            return File.Exists(versionFile) ? File.ReadLines(versionFile).FirstOrDefault()?.Trim() : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
