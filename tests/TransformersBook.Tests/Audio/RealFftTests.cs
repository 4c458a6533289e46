using System.Numerics;
using TransformersBook.Audio;

namespace TransformersBook.Tests;

public class RealFftTests
{
    [Fact]
    public void The_fft_matches_FftSharp_and_the_direct_dft()
    {
        var random = new Random(4);
        var signal = Enumerable.Range(0, 256).Select(_ => random.NextDouble() - 0.5).ToArray();
        var ours = RealFft.Transform(signal);
        var theirs = FftSharp.FFT.Forward(signal);
        Assert.True(ours.Zip(theirs).Max(p => (p.First - p.Second).Magnitude) < 1e-9);
        // The definition, X_k = Σ x_n e^{−2πi kn/N}, at k = 5.
        var direct = Enumerable.Range(0, 256).Aggregate(Complex.Zero, (sum, n) => sum + signal[n] * Complex.FromPolarCoordinates(1, -2 * Math.PI * 5 * n / 256));
        Assert.True((ours[5] - direct).Magnitude < 1e-9);
    }

    [Fact]
    public void The_power_spectrum_is_the_squared_magnitude_of_the_first_half()
    {
        var random = new Random(5);
        var signal = Enumerable.Range(0, 64).Select(_ => random.NextDouble()).ToArray();
        var power = RealFft.PowerSpectrum(signal);
        var half = FftSharp.FFT.ForwardReal(signal);
        Assert.Equal(33, power.Length);
        Assert.Equal(half.Length, power.Length);
        Assert.True(power.Zip(half).Max(p => Math.Abs(p.First - p.Second.Magnitude * p.Second.Magnitude)) < 1e-9);
        // A cosine of 4 cycles in 64 samples puts (64/2)² into bin 4 and nothing elsewhere.
        var cosine = RealFft.PowerSpectrum(Enumerable.Range(0, 64).Select(n => Math.Cos(2 * Math.PI * 4 * n / 64)).ToArray());
        Assert.Equal(1024, cosine[4], 6);
        Assert.True(cosine.Where((_, k) => k != 4).Max() < 1e-9);
    }

    [Fact]
    public void Lengths_that_are_not_powers_of_two_are_refused() =>
        Assert.Throws<ArgumentException>(() => RealFft.Transform(new double[12]));
}
