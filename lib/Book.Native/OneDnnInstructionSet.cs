using System.Runtime.InteropServices;

namespace Book.Native;

/// <summary>
/// Caps oneDNN, libtorch's CPU convolution library, at AVX2 before libtorch loads. On the book's AVX-512 build
/// machines (cloud VMs) oneDNN's AVX-512 convolution kernels returned NaN in 3–12 % of otherwise identical runs,
/// a fault the AVX2 kernels never showed (0 of 300 runs); a chapter that trains a CNN must not fail by chance.
/// oneDNN reads <c>ONEDNN_MAX_CPU_ISA</c> from the process's C environment, which .NET's
/// <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not change on Unix, hence <c>setenv</c>.
/// A value the reader set is kept, so <c>ONEDNN_MAX_CPU_ISA=ALL</c> restores the widest kernels.
/// </summary>
public static class OneDnnInstructionSet
{
    /// <summary>The environment variable oneDNN reads once, at its first CPU kernel.</summary>
    public const string Variable = "ONEDNN_MAX_CPU_ISA";

    /// <summary>The cap the book sets when the reader set none.</summary>
    public const string BookDefault = "AVX2";

    /// <summary>
    /// Sets <see cref="Variable"/> to <see cref="BookDefault"/> in the C environment unless it already has a value
    /// there; returns the value oneDNN will read (null off Linux, where nothing is set).
    /// </summary>
    public static string? CapUnlessSet()
    {
        if (!OperatingSystem.IsLinux()) return null;
        string? existing = Current();
        if (!string.IsNullOrEmpty(existing)) return existing;
        if (setenv(Variable, BookDefault, 0) != 0)
            throw new InvalidOperationException($"setenv({Variable}) failed with errno {Marshal.GetLastPInvokeError()}.");
        // Child processes started from .NET inherit the managed copy of the environment, not the C one.
        Environment.SetEnvironmentVariable(Variable, BookDefault);
        return BookDefault;
    }

    /// <summary>The value of <see cref="Variable"/> in the C environment, which oneDNN reads; null when unset.</summary>
    public static string? Current() => OperatingSystem.IsLinux() ? Marshal.PtrToStringUTF8(getenv(Variable)) : null;

    // glibc's soname: "libc" alone would probe libc.so, a linker script that only the development package installs.
    [DllImport("libc.so.6", SetLastError = true)]
    static extern int setenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);

    [DllImport("libc.so.6")]
    static extern IntPtr getenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name);
}
