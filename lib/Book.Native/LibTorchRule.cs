using System.Reflection;

namespace Book.Native;

/// <summary>What <see cref="LibTorchRule.Choose"/> decided, and what the search for PyTorch found on the way.</summary>
/// <param name="Location">The libtorch to load (null when nothing was found to start from).</param>
/// <param name="PyTorch">The PyTorch install looked at, if any (supplying libtorch or not).</param>
/// <param name="PyTorchProblem">Why no usable PyTorch was found, when it was looked for.</param>
/// <param name="LookedForPyTorch">True when the rule asked Python (only with a driver, CUDA wanted, and no CUDA libtorch yet).</param>
public sealed record LibTorchChoice(LibTorchLocation? Location, PyTorchInstall? PyTorch, string? PyTorchProblem, bool LookedForPyTorch);

/// <summary>
/// The book's one rule for which libtorch a process loads, decided before the first torch call by whichever comes
/// first: the notebook engine (when TorchSharp's assembly loads) or a chapter's setup. In order: an explicit
/// BOOK_LIBTORCH, which is honoured as given; the CPU libtorch when the CPU is asked for, when there is no NVIDIA
/// driver, or when the starting libtorch already has CUDA; a PyTorch install with CUDA of the libtorch version
/// TorchSharp was built against (major.minor: TorchSharp calls libtorch's C++ API, which changes between minor
/// versions, so another version is never picked automatically); else the CPU libtorch, with the reason recorded.
/// </summary>
public static class LibTorchRule
{
    /// <summary>True when <paramref name="install"/> may supply libtorch: CUDA libraries of the expected version.</summary>
    public static bool CanSupply(PyTorchInstall install, string expectedLibTorchVersion) =>
        install.HasCudaLibTorch && install.Matches(expectedLibTorchVersion);

    /// <param name="start">Where libtorch would come from without PyTorch: BOOK_LIBTORCH or the libtorch package.</param>
    /// <param name="cudaWanted">False when BOOK_DEVICE=cpu.</param>
    /// <param name="driverEvidence">The path that shows an NVIDIA driver, or null.</param>
    /// <param name="expectedLibTorchVersion">The version TorchSharp was built against (<see cref="ExpectedVersion"/>).</param>
    /// <param name="findPyTorch">Looks for PyTorch through Python; called only when the rule needs it.</param>
    public static LibTorchChoice Choose(LibTorchLocation? start, bool cudaWanted, string? driverEvidence, string expectedLibTorchVersion,
        Func<(PyTorchInstall? Install, string Problem)> findPyTorch)
    {
        if (start is { Source: ExplicitSource } || !cudaWanted || driverEvidence is null || start is { HasCuda: true } || start is null)
            return new LibTorchChoice(start, null, null, false);
        var (install, problem) = findPyTorch();
        if (install is not null && CanSupply(install, expectedLibTorchVersion))
            return new LibTorchChoice(start with { LibTorchDirectory = install.LibDirectory, Source = $"PyTorch {install.Version}" }, install, null, true);
        return new LibTorchChoice(start, install, install is null ? problem : null, true);
    }

    /// <summary>The source name of a libtorch chosen through BOOK_LIBTORCH.</summary>
    public const string ExplicitSource = "BOOK_LIBTORCH";

    /// <summary>The libtorch version a TorchSharp assembly was built against, read from its metadata without native code.</summary>
    public static string ExpectedVersion(Assembly torchSharp)
    {
        var field = torchSharp.GetType("TorchSharp.torch")?.GetField("libtorchPackageVersion", BindingFlags.NonPublic | BindingFlags.Static);
        return field?.GetRawConstantValue() as string ?? "unknown";
    }
}
