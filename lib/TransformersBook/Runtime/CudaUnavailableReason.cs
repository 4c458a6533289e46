namespace TransformersBook.Runtime;

/// <summary>Why a chapter runs on the CPU although CUDA might have been wanted.</summary>
public enum CudaUnavailableReason
{
    /// <summary>BOOK_DEVICE=cpu asked for the CPU.</summary>
    RequestedCpu,

    /// <summary>No NVIDIA driver: neither /proc/driver/nvidia nor /dev/nvidia0 exists.</summary>
    NoDriver,

    /// <summary>A driver is present, but no libtorch with CUDA was found (TorchSharp's CUDA packages, BOOK_LIBTORCH, or a matching PyTorch).</summary>
    NoCudaLibTorch,

    /// <summary>
    /// A CPU libtorch was chosen before setup ran (the host installed TorchSharp's native resolver, or TorchSharp loaded its
    /// native libraries by itself), while a CUDA libtorch exists: the dotnet/TorchSharp#1491 situation.
    /// </summary>
    LibTorchChosenBeforeSetup,

    /// <summary>A CUDA libtorch was loaded, but torch.cuda.is_available() is false (driver too old for its CUDA, or no usable GPU).</summary>
    CudaInitializationFailed,
}
