using Book.Native;

namespace TransformersBook.Runtime;

/// <summary>What setup finds before it chooses which libtorch TorchSharp loads.</summary>
/// <param name="Request">What BOOK_DEVICE asks for.</param>
/// <param name="Preinstalled">
/// The location of a native resolver installed before setup ran: by the notebook engine (which installs it the moment
/// TorchSharp's assembly loads) or by an earlier setup in the same process. A process loads libtorch once, so this
/// choice stands.
/// </param>
/// <param name="NativeLoadedWithoutResolver">True when TorchSharp loaded its native libraries by itself before setup.</param>
/// <param name="Discovered">What Book.Native finds: BOOK_LIBTORCH, the application folder, or the NuGet cache.</param>
/// <param name="DriverEvidence">The path that shows an NVIDIA driver, or null.</param>
/// <param name="ExpectedLibTorchVersion">The libtorch version TorchSharp was built against, e.g. 2.10.0.0.</param>
public sealed record LibTorchSituation(
    DeviceRequest Request,
    LibTorchLocation? Preinstalled,
    bool NativeLoadedWithoutResolver,
    LibTorchLocation? Discovered,
    string? DriverEvidence,
    string ExpectedLibTorchVersion);
