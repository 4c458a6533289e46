using Book.Native;

namespace TransformersBook.Runtime;

/// <summary>Setup's choice of libtorch, made before the first torch call.</summary>
/// <param name="ToInstall">The location to install TorchSharp's native resolver with, or null to keep what is there.</param>
/// <param name="InEffect">The location TorchSharp will load from, or null when TorchSharp loads libtorch by itself.</param>
/// <param name="Reason">Why CUDA cannot be used, or null when it may be (then setup asks libtorch whether it is available).</param>
/// <param name="Explanation">The reason in words, with what to do about it.</param>
/// <param name="PyTorch">What the search for a PyTorch install found, when there was one.</param>
public sealed record LibTorchPlan(
    LibTorchLocation? ToInstall,
    LibTorchLocation? InEffect,
    CudaUnavailableReason? Reason,
    string? Explanation,
    string? PyTorch);
