using static TorchSharp.torch;

namespace TransformersBook.Quantization;

/// <summary>
/// Integers and the affine map back to real numbers: x ≈ (q − z)·s. <see cref="Codes"/> hold q, <see cref="Scale"/>
/// s and <see cref="ZeroPoint"/> z, the last two shaped to broadcast against the codes (a scalar for one scale per
/// tensor, (rows, 1) for one per output channel). Symmetric (absmax) quantization has z = 0.
/// </summary>
/// <param name="Codes">The integer codes q, stored in a float tensor (exact for every code up to 2^24).</param>
/// <param name="Scale">The step s between neighbouring codes.</param>
/// <param name="ZeroPoint">The code z that stands for the real number 0.</param>
/// <param name="Bits">How many bits a code takes.</param>
public sealed record QuantizedTensor(Tensor Codes, Tensor Scale, Tensor ZeroPoint, int Bits)
{
    /// <summary>The real numbers the codes stand for, (q − z)·s.</summary>
    public Tensor Dequantize() => (Codes - ZeroPoint) * Scale;

    /// <summary>Bytes to store the codes packed at <see cref="Bits"/> bits each plus a 16-bit float per scale and per zero point (zero points of a symmetric code are not stored).</summary>
    /// <param name="symmetric">True when the zero points are all 0 and need no storage.</param>
    public long StorageBytes(bool symmetric) => (Codes.numel() * Bits + 7) / 8 + 2 * Scale.numel() + (symmetric ? 0 : 2 * ZeroPoint.numel());
}
