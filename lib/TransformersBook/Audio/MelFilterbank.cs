namespace TransformersBook.Audio;

/// <summary>
/// Triangular filters equally spaced on the mel scale, m = 2595 log₁₀(1 + f/700) (the HTK formula): filter j rises
/// linearly from the frequency of mel point j to that of point j + 1 and falls to point j + 2, where M + 2 points
/// run evenly in mel from f_min to f_max. Each filter weights the FFT bins k at frequencies k · rate / N; its peak is 1.
/// </summary>
public static class MelFilterbank
{
    /// <summary>Hertz to mel (HTK).</summary>
    public static double HertzToMel(double hertz) => 2595.0 * Math.Log10(1.0 + hertz / 700.0);

    /// <summary>Mel to hertz (HTK).</summary>
    public static double MelToHertz(double mel) => 700.0 * (Math.Pow(10.0, mel / 2595.0) - 1.0);

    /// <summary>The filter weights, [filter, bin] with <paramref name="fftSize"/>/2 + 1 bins.</summary>
    /// <param name="filters">M, the number of mel bands.</param>
    /// <param name="fftSize">N, the FFT length.</param>
    /// <param name="sampleRate">Samples per second.</param>
    /// <param name="minHertz">f_min, the lower edge of the first filter.</param>
    /// <param name="maxHertz">f_max, the upper edge of the last filter (at most the Nyquist frequency, rate/2).</param>
    public static double[,] Create(int filters, int fftSize, int sampleRate, double minHertz, double maxHertz)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(filters);
        if (maxHertz > sampleRate / 2.0 || minHertz < 0 || minHertz >= maxHertz)
            throw new ArgumentOutOfRangeException(nameof(maxHertz), $"Need 0 ≤ f_min < f_max ≤ {sampleRate / 2.0} Hz.");
        double lowMel = HertzToMel(minHertz), highMel = HertzToMel(maxHertz);
        var edges = Enumerable.Range(0, filters + 2).Select(i => MelToHertz(lowMel + (highMel - lowMel) * i / (filters + 1))).ToArray();
        int bins = fftSize / 2 + 1;
        var weights = new double[filters, bins];
        for (int j = 0; j < filters; j++)
        {
            for (int k = 0; k < bins; k++)
            {
                double f = (double)k * sampleRate / fftSize;
                double rising = (f - edges[j]) / (edges[j + 1] - edges[j]);
                double falling = (edges[j + 2] - f) / (edges[j + 2] - edges[j + 1]);
                weights[j, k] = Math.Max(0.0, Math.Min(rising, falling));
            }
        }
        return weights;
    }
}
