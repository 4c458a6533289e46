namespace Book.Engine.Packages;

/// <summary>Finds the <c>dotnet</c> executable: DOTNET_HOST_PATH (set by the SDK), the running host, or PATH.</summary>
public static class DotNetHost
{
    public static string? Path
    {
        get
        {
            string? fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk)) return fromSdk;
            string? process = Environment.ProcessPath;
            if (process is not null && System.IO.Path.GetFileNameWithoutExtension(process) == "dotnet") return process;
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                string candidate = System.IO.Path.Combine(dir, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
                if (File.Exists(candidate)) return candidate;
            }
            string? root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
            if (!string.IsNullOrEmpty(root) && File.Exists(System.IO.Path.Combine(root, "dotnet"))) return System.IO.Path.Combine(root, "dotnet");
            return null;
        }
    }
}
