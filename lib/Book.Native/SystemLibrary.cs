using System.Runtime.InteropServices;

namespace Book.Native;

/// <summary>Finds the file the dynamic loader actually maps for a soname such as libstdc++.so.6.</summary>
public static class SystemLibrary
{
    /// <summary>
    /// Loads the library by soname (as any dependent would get it) and reads its path from /proc/self/maps,
    /// so LD_LIBRARY_PATH, the ld.so cache and an already loaded copy are all taken into account.
    /// </summary>
    public static string? Locate(string soname)
    {
        if (!OperatingSystem.IsLinux()) return null;
        if (!NativeLibrary.TryLoad(soname, out _)) return null;
        foreach (var line in File.ReadLines("/proc/self/maps"))
        {
            int slash = line.IndexOf('/');
            if (slash < 0) continue;
            string path = line[slash..].Trim();
            if (Path.GetFileName(path).StartsWith(soname, StringComparison.Ordinal)) return path;
        }
        return null;
    }
}
