using System.Text;

namespace TransformersBook.Runtime;

/// <summary>
/// What setup found about devices, and, when CUDA is not used, exactly why. Shown by the setup cell, so a reader who
/// expected a GPU sees the cause (no driver, no CUDA libtorch, BOOK_DEVICE=cpu, libtorch chosen too early) and the fix.
/// </summary>
/// <param name="Requested">What BOOK_DEVICE asked for.</param>
/// <param name="Device">The device chapters use: "cuda" or "cpu".</param>
/// <param name="CudaDeviceCount">How many GPUs libtorch sees (0 on the CPU).</param>
/// <param name="Reason">Why CUDA is not used; null when it is.</param>
/// <param name="Explanation">The reason in words, with what to do.</param>
/// <param name="Driver">The NVIDIA driver found, or "none".</param>
/// <param name="LibTorch">Where libtorch comes from.</param>
/// <param name="PyTorch">What the search for PyTorch found (only searched when a driver is present).</param>
public sealed record DeviceDiagnostics(
    DeviceRequest Requested,
    string Device,
    int CudaDeviceCount,
    CudaUnavailableReason? Reason,
    string? Explanation,
    string Driver,
    string LibTorch,
    string? PyTorch)
{
    /// <summary>True when chapters run on CUDA.</summary>
    public bool UsesCuda => Reason is null;

    /// <summary>One line for the setup block: the device and, on the CPU, why.</summary>
    public string Summary => UsesCuda
        ? $"cuda ({CudaDeviceCount} GPU{(CudaDeviceCount == 1 ? "" : "s")})"
        : Reason == CudaUnavailableReason.RequestedCpu ? "cpu (BOOK_DEVICE=cpu)" : $"cpu — CUDA not used: {Explanation}";

    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine($"device     {Summary}");
        text.AppendLine($"requested  BOOK_DEVICE={Requested.ToString().ToLowerInvariant()}");
        text.AppendLine($"driver     {Driver}");
        text.AppendLine($"libtorch   {LibTorch}");
        if (PyTorch is not null) text.AppendLine($"pytorch    {PyTorch}");
        return text.ToString().TrimEnd();
    }
}
