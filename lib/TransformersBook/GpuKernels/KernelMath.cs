using ILGPU;

namespace TransformersBook.GpuKernels;

/// <summary>
/// Math the kernels use, in forms ILGPU's PTX backend compiles without NVIDIA's libdevice. ILGPU 1.5 maps
/// <c>MathF.Exp</c> to libdevice on CUDA (which <see cref="KernelDevice"/> does not load), but 2^x to the hardware
/// <c>ex2</c> instruction, so exp goes through e^x = 2^(x·log2 e).
/// </summary>
public static class KernelMath
{
    /// <summary>log2(e).</summary>
    public const float Log2E = 1.44269504f;

    /// <summary>e^x as 2^(x·log2 e); exp(−∞) = 0 as with MathF.Exp.</summary>
    public static float Exp(float x) => IntrinsicMath.CPUOnly.Exp2(x * Log2E);

    /// <summary>The natural logarithm as log2(x)/log2(e), log2 being the hardware <c>lg2</c> instruction on CUDA; log(0) = −∞.</summary>
    public static float Log(float x) => IntrinsicMath.CPUOnly.Log2(x) / Log2E;
}
