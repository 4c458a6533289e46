using System.Diagnostics;
using System.Globalization;

namespace Book.Native;

/// <summary>
/// An existing PyTorch install found through Python. Its lib folder holds a complete libtorch (libtorch_cpu.so,
/// libtorch_cuda.so, libc10*.so) that TorchSharp can load instead of its own, which gives readers who already have
/// CUDA PyTorch a GPU without TorchSharp's multi-gigabyte CUDA packages. It must be the libtorch version TorchSharp
/// was built against (TorchSharp calls libtorch's C++ API, which changes between minor versions).
/// </summary>
/// <param name="PackageDirectory">The torch package folder (os.path.dirname(torch.__file__)).</param>
/// <param name="Version">torch.__version__, e.g. 2.10.0+cu128.</param>
/// <param name="CudaVersion">torch.version.cuda, or null for a CPU-only build.</param>
public sealed record PyTorchInstall(string PackageDirectory, string Version, string? CudaVersion)
{
    /// <summary>The folder with the shared libraries.</summary>
    public string LibDirectory => Path.Combine(PackageDirectory, "lib");

    /// <summary>True when the install has CUDA libraries TorchSharp can load.</summary>
    public bool HasCudaLibTorch =>
        CudaVersion is not null && File.Exists(Path.Combine(LibDirectory, "libtorch_cuda.so")) && File.Exists(Path.Combine(LibDirectory, "libtorch_cpu.so"));

    /// <summary>True when its major.minor version equals <paramref name="libTorchVersion"/> (e.g. "2.10.0.0").</summary>
    public bool Matches(string libTorchVersion) => MajorMinor(Version) == MajorMinor(libTorchVersion);

    static string MajorMinor(string version)
    {
        var parts = version.Split('+')[0].Split('.');
        return parts.Length >= 2 ? $"{parts[0]}.{parts[1]}" : version;
    }

    /// <summary>
    /// Runs <c>python3 -c 'import torch, os; print(os.path.dirname(torch.__file__)); ...'</c> (BOOK_PYTHON overrides
    /// the interpreter). Returns the install, or null with <paramref name="problem"/> saying what was found instead.
    /// </summary>
    public static PyTorchInstall? Find(out string problem, TimeSpan? timeout = null)
    {
        string python = Environment.GetEnvironmentVariable("BOOK_PYTHON") is { Length: > 0 } configured
            ? configured
            : OperatingSystem.IsWindows() ? "python" : "python3";
        const string script = "import torch, os; print(os.path.dirname(torch.__file__)); print(torch.__version__); print(torch.version.cuda)";
        var start = new ProcessStartInfo(python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        Process? process;
        try
        {
            process = Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            problem = $"no Python interpreter ({python}) on PATH, so no PyTorch install could be looked for";
            return null;
        }
        if (process is null)
        {
            problem = $"{python} could not be started";
            return null;
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit((int)(timeout ?? TimeSpan.FromSeconds(60)).TotalMilliseconds))
            {
                try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                problem = $"{python} did not finish 'import torch' in time";
                return null;
            }
            if (process.ExitCode != 0)
            {
                string error = stderr.Result.Trim().Split('\n').LastOrDefault()?.Trim() ?? "";
                problem = error.Contains("No module named", StringComparison.Ordinal)
                    ? $"{python} has no PyTorch ({error})"
                    : $"{python} could not import torch: {error}";
                return null;
            }
            var lines = stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (lines.Length < 3)
            {
                problem = $"{python} printed an unexpected answer: {stdout.Result.Trim()}";
                return null;
            }
            string? cuda = lines[2] == "None" ? null : lines[2];
            problem = "";
            return new PyTorchInstall(lines[0], lines[1], cuda);
        }
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"PyTorch {Version} ({(CudaVersion is null ? "CPU only" : $"CUDA {CudaVersion}")}) at {PackageDirectory}");
}
