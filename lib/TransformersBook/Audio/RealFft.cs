using System.Numerics;

namespace TransformersBook.Audio;

/// <summary>
/// The discrete Fourier transform by the iterative radix-2 Cooley–Tukey FFT, for lengths that are powers of two:
/// X_k = Σ_n x_n e^{−2πi kn/N}, in O(N log N).
/// </summary>
public static class RealFft
{
    /// <summary>The N-point DFT of a real signal (N a power of two): all N complex values.</summary>
    public static Complex[] Transform(ReadOnlySpan<double> signal)
    {
        int n = signal.Length;
        if (n == 0 || (n & (n - 1)) != 0) throw new ArgumentException($"The FFT length {n} is not a power of two.", nameof(signal));
        var x = new Complex[n];
        // Bit-reversed order, so that the butterflies below can work in place.
        int bits = System.Numerics.BitOperations.Log2((uint)n);
        for (int i = 0; i < n; i++) x[Reverse(i, bits)] = signal[i];
        for (int size = 2; size <= n; size *= 2)
        {
            var step = Complex.FromPolarCoordinates(1, -2 * Math.PI / size);
            for (int start = 0; start < n; start += size)
            {
                var twiddle = Complex.One;
                for (int k = 0; k < size / 2; k++)
                {
                    var even = x[start + k];
                    var odd = twiddle * x[start + k + size / 2];
                    x[start + k] = even + odd;
                    x[start + k + size / 2] = even - odd;
                    twiddle *= step;
                }
            }
        }
        return x;
    }

    /// <summary>The power spectrum |X_k|² for k = 0 … N/2 (the N/2 + 1 bins of a real signal).</summary>
    public static double[] PowerSpectrum(ReadOnlySpan<double> signal)
    {
        var spectrum = Transform(signal);
        var power = new double[signal.Length / 2 + 1];
        for (int k = 0; k < power.Length; k++) power[k] = spectrum[k].Real * spectrum[k].Real + spectrum[k].Imaginary * spectrum[k].Imaginary;
        return power;
    }

    static int Reverse(int value, int bits)
    {
        int result = 0;
        for (int b = 0; b < bits; b++, value >>= 1) result = (result << 1) | (value & 1);
        return result;
    }
}
