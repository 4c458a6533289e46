using System.Reflection;
using Book.Native;
using TorchSharp;

namespace TransformersBook.Runtime;

/// <summary>
/// Chooses the device (BOOK_DEVICE=cpu|cuda|auto) and, before the first torch call, the libtorch that makes it possible:
/// TorchSharp's own (CPU, or CUDA from TorchSharp's CUDA packages), BOOK_LIBTORCH, or the libtorch inside an existing
/// PyTorch install. Python is asked only when an NVIDIA driver is present.
/// </summary>
public static class DeviceSelection
{
    /// <summary>The environment variable that selects the device.</summary>
    public const string EnvironmentVariable = BookEnvironment.Device;

    /// <summary>Reads BOOK_DEVICE.</summary>
    public static DeviceRequest Requested() => Parse(Environment.GetEnvironmentVariable(EnvironmentVariable));

    /// <summary>Parses a BOOK_DEVICE value: empty or auto, cpu, cuda (any case).</summary>
    /// <exception cref="ArgumentException">The value names no device.</exception>
    public static DeviceRequest Parse(string? value) => DeviceChoices.Parse(value) switch
    {
        DeviceChoices.Cpu => DeviceRequest.Cpu,
        DeviceChoices.Cuda => DeviceRequest.Cuda,
        _ => DeviceRequest.Auto,
    };

    /// <summary>Looks at the process and the machine: the resolver, loaded libraries, libtorch on disk, the driver.</summary>
    public static LibTorchSituation Observe(DeviceRequest request, Assembly torchSharp)
    {
        var preinstalled = TorchSharpNativeResolver.Installed;
        LibTorchLocation? discovered = preinstalled is null ? LibTorchLocation.Discover(torchSharp.Location) : null;
        return new LibTorchSituation(
            request,
            preinstalled,
            preinstalled is null && NativeLibrariesLoaded(),
            discovered,
            NvidiaDriver.Evidence(),
            LibTorchRule.ExpectedVersion(torchSharp));
    }

    /// <summary>True when this process has TorchSharp's native wrapper mapped already.</summary>
    static bool NativeLibrariesLoaded()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            return File.ReadLines("/proc/self/maps").Any(line => line.Contains("libLibTorchSharp", StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>
    /// Decides which libtorch to load and, where CUDA is impossible, why. Pure except for <paramref name="findPyTorch"/>,
    /// which is called only when a driver is present, CUDA is wanted and no CUDA libtorch is known yet.
    /// </summary>
    public static LibTorchPlan Plan(LibTorchSituation situation, Func<(PyTorchInstall? Install, string Problem)> findPyTorch)
    {
        string expected = MajorMinor(situation.ExpectedLibTorchVersion);
        string noDriver = OperatingSystem.IsWindows()
            ? "no NVIDIA driver (nvcuda.dll is missing)."
            : "no NVIDIA driver: neither /proc/driver/nvidia nor /dev/nvidia0 exists.";

        if (situation.Request == DeviceRequest.Cpu)
        {
            var keep = situation.Preinstalled;
            return new LibTorchPlan(keep is null ? situation.Discovered : null, keep ?? situation.Discovered,
                CudaUnavailableReason.RequestedCpu, $"{EnvironmentVariable}=cpu asks for the CPU.", null);
        }

        if (situation.Preinstalled is { } chosen)
        {
            if (chosen.HasCuda) return new LibTorchPlan(null, chosen, null, null, null);
            if (situation.DriverEvidence is null) return new LibTorchPlan(null, chosen, CudaUnavailableReason.NoDriver, noDriver, null);
            var (found, problem) = findPyTorch();
            if (found is not null && LibTorchRule.CanSupply(found, situation.ExpectedLibTorchVersion))
            {
                return new LibTorchPlan(null, chosen, CudaUnavailableReason.LibTorchChosenBeforeSetup,
                    $"libtorch was chosen before setup ran ({chosen.Source}: {chosen.LibTorchDirectory}, CPU only), and a process " +
                    $"loads libtorch once. A CUDA libtorch exists ({found}): set BOOK_LIBTORCH={found.LibDirectory} where the kernel " +
                    "starts (your shell or VS Code's environment) and restart the kernel (see dotnet/TorchSharp#1491).",
                    found.ToString());
            }
            return new LibTorchPlan(null, chosen, CudaUnavailableReason.NoCudaLibTorch,
                NoCudaLibTorch(situation, chosen, found, problem, expected), found?.ToString() ?? problem);
        }

        if (situation.NativeLoadedWithoutResolver)
        {
            // Too late to choose: whatever TorchSharp loaded stands. Ask it at run time; Apply explains a CPU-only result.
            return new LibTorchPlan(null, null, null, null, null);
        }

        var discovered = situation.Discovered;
        if (discovered is null)
        {
            // Outside Linux TorchSharp finds libtorch itself (Book.Native has nothing to adjust there): ask it at run time.
            return situation.DriverEvidence is null
                ? new LibTorchPlan(null, null, CudaUnavailableReason.NoDriver, noDriver, null)
                : new LibTorchPlan(null, null, null, null, null);
        }
        if (discovered is { HasCuda: true }) return new LibTorchPlan(discovered, discovered, null, null, null);
        if (situation.DriverEvidence is null) return new LibTorchPlan(discovered, discovered, CudaUnavailableReason.NoDriver, noDriver, null);
        if (discovered is { Source: LibTorchRule.ExplicitSource })
        {
            return new LibTorchPlan(discovered, discovered, CudaUnavailableReason.NoCudaLibTorch,
                $"an NVIDIA driver is present ({situation.DriverEvidence}), but BOOK_LIBTORCH={discovered.LibTorchDirectory} has no " +
                "libtorch_cuda.so. Point BOOK_LIBTORCH at the lib folder of a CUDA build of PyTorch " +
                $"{expected}, or unset it.", null);
        }
        var choice = LibTorchRule.Choose(discovered, cudaWanted: true, situation.DriverEvidence, situation.ExpectedLibTorchVersion, findPyTorch);
        if (choice.Location is { } fromPyTorch && fromPyTorch != discovered)
            return new LibTorchPlan(fromPyTorch, fromPyTorch, null, null, choice.PyTorch?.ToString());
        return new LibTorchPlan(discovered, discovered, CudaUnavailableReason.NoCudaLibTorch,
            NoCudaLibTorch(situation, discovered, choice.PyTorch, choice.PyTorchProblem ?? "", expected), choice.PyTorch?.ToString() ?? choice.PyTorchProblem);
    }

    static string NoCudaLibTorch(LibTorchSituation situation, LibTorchLocation? location, PyTorchInstall? pyTorch, string problem, string expected)
    {
        string pyTorchFinding = pyTorch switch
        {
            null => problem,
            { CudaVersion: null } => $"{pyTorch} is a CPU-only build",
            _ when !pyTorch.Matches(situation.ExpectedLibTorchVersion) =>
                $"{pyTorch} has CUDA, but TorchSharp needs libtorch {expected}, and libtorch's C++ API changes between versions",
            _ => $"{pyTorch} lacks libtorch_cuda.so in {pyTorch.LibDirectory}",
        };
        string where = location is null ? "TorchSharp's libtorch" : $"the libtorch in use ({location.Source}: {location.LibTorchDirectory})";
        return $"an NVIDIA driver is present ({situation.DriverEvidence}), but no libtorch with CUDA was found: {where} is CPU only, " +
               $"and {pyTorchFinding}. Install PyTorch {expected} with CUDA (pip install \"torch=={expected}.*\"), or set BOOK_LIBTORCH " +
               "to the folder of a CUDA libtorch_cuda.so, or reference TorchSharp-cuda-linux instead of TorchSharp-cpu.";
    }

    static string MajorMinor(string version)
    {
        var parts = version.Split('.');
        return parts.Length >= 2 ? $"{parts[0]}.{parts[1]}" : version;
    }

    /// <summary>
    /// Carries out a plan: installs the resolver if the plan says so, then asks libtorch whether CUDA works (only when
    /// the plan allows it) and returns the device with the full diagnostics.
    /// </summary>
    /// <exception cref="InvalidOperationException">BOOK_DEVICE=cuda, and CUDA cannot be used; the message says why.</exception>
    public static DeviceDiagnostics Apply(LibTorchSituation situation, LibTorchPlan plan, Assembly torchSharp)
    {
        if (plan.ToInstall is { } location) TorchSharpNativeResolver.Install(torchSharp, location);
        var reason = plan.Reason;
        string? explanation = plan.Explanation;
        int gpus = 0;
        if (reason is null)
        {
            if (torch.cuda.is_available())
            {
                gpus = torch.cuda.device_count();
            }
            else if (situation.NativeLoadedWithoutResolver)
            {
                reason = CudaUnavailableReason.LibTorchChosenBeforeSetup;
                explanation = "TorchSharp loaded its native libraries before setup ran (a torch call came before BookSetup.Start), so the " +
                              "book could not choose libtorch, and the one loaded has no usable CUDA. Restart the kernel and run the setup " +
                              "cell before any other torch call (see dotnet/TorchSharp#1491).";
            }
            else
            {
                reason = CudaUnavailableReason.CudaInitializationFailed;
                explanation = $"libtorch with CUDA is loaded ({plan.InEffect?.LibTorchDirectory}), but torch.cuda.is_available() is false: " +
                              "the NVIDIA driver may be older than this libtorch's CUDA needs, or no GPU is visible " +
                              "(check nvidia-smi and CUDA_VISIBLE_DEVICES).";
            }
        }
        string driver = situation.DriverEvidence is null
            ? "none"
            : NvidiaDriver.Version() is { } version ? $"{situation.DriverEvidence} ({version})" : situation.DriverEvidence;
        string libTorch = plan.InEffect is { } inEffect
            ? $"{inEffect.Source}: {inEffect.LibTorchDirectory}{(inEffect.HasCuda ? " (CUDA)" : " (CPU only)")}"
            : "loaded by TorchSharp itself";
        var diagnostics = new DeviceDiagnostics(situation.Request, reason is null ? "cuda" : "cpu", gpus, reason, explanation, driver, libTorch, plan.PyTorch);
        if (situation.Request == DeviceRequest.Cuda && reason is not null)
            throw new InvalidOperationException($"{EnvironmentVariable}=cuda, but CUDA cannot be used: {explanation}\n{diagnostics}");
        return diagnostics;
    }
}
