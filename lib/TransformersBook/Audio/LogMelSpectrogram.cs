namespace TransformersBook.Audio;

/// <summary>
/// The log-mel spectrogram, built from scratch: cut the waveform into frames of N samples every hop samples, multiply
/// each by the periodic Hann window w_n = ½ − ½ cos(2πn/N), take the power spectrum |X_k|² by the FFT
/// (<see cref="RealFft"/>), weight the N/2 + 1 bins with the triangular <see cref="MelFilterbank"/>, and take the
/// natural logarithm of each band's energy plus a floor.
/// </summary>
public sealed class LogMelSpectrogram
{
    readonly double[] window;
    readonly double[,] filters;

    /// <param name="options">The settings.</param>
    public LogMelSpectrogram(LogMelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        window = HannWindow(options.FrameLength);
        filters = MelFilterbank.Create(options.Mels, options.FrameLength, options.SampleRate, options.MinHertz, options.MaxHertz);
    }

    /// <summary>The settings.</summary>
    public LogMelOptions Options { get; }

    /// <summary>The mel filter weights, [band, bin].</summary>
    public double[,] Filters => filters;

    /// <summary>The periodic Hann window of length N (the one <c>torch.hann_window</c> returns by default).</summary>
    public static double[] HannWindow(int length) =>
        Enumerable.Range(0, length).Select(n => 0.5 - 0.5 * Math.Cos(2 * Math.PI * n / length)).ToArray();

    /// <summary>The power spectrogram, [frame, bin]: |FFT(window · frame)|² for every whole frame.</summary>
    public double[,] PowerSpectrogram(ReadOnlySpan<float> samples)
    {
        int n = Options.FrameLength, frames = Options.FrameCount(samples.Length);
        var result = new double[frames, n / 2 + 1];
        var frame = new double[n];
        for (int t = 0; t < frames; t++)
        {
            for (int i = 0; i < n; i++) frame[i] = samples[t * Options.Hop + i] * window[i];
            var power = RealFft.PowerSpectrum(frame);
            for (int k = 0; k < power.Length; k++) result[t, k] = power[k];
        }
        return result;
    }

    /// <summary>The log-mel spectrogram, [frame, band]: ln(Σ_k F_jk |X_tk|² + floor).</summary>
    public float[,] Compute(ReadOnlySpan<float> samples)
    {
        var power = PowerSpectrogram(samples);
        int frames = power.GetLength(0), bins = power.GetLength(1), mels = Options.Mels;
        var result = new float[frames, mels];
        for (int t = 0; t < frames; t++)
        {
            for (int j = 0; j < mels; j++)
            {
                double energy = 0;
                for (int k = 0; k < bins; k++) energy += filters[j, k] * power[t, k];
                result[t, j] = (float)Math.Log(energy + Options.Floor);
            }
        }
        return result;
    }
}
