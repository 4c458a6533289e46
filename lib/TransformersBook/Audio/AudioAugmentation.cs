namespace TransformersBook.Audio;

/// <summary>
/// Simple changes to a waveform: trim silence, fit to a fixed length, add white noise at a chosen signal-to-noise
/// ratio, and change the speed by resampling.
/// </summary>
public static class AudioAugmentation
{
    /// <summary>
    /// Drops the leading and trailing samples quieter than <paramref name="relativeThreshold"/> times the loudest
    /// |sample|; an all-silent clip is returned unchanged.
    /// </summary>
    public static float[] TrimSilence(float[] samples, double relativeThreshold = 0.02)
    {
        ArgumentNullException.ThrowIfNull(samples);
        float peak = samples.Length == 0 ? 0 : samples.Max(Math.Abs);
        if (peak == 0) return samples;
        int first = Array.FindIndex(samples, s => Math.Abs(s) >= relativeThreshold * peak);
        int last = Array.FindLastIndex(samples, s => Math.Abs(s) >= relativeThreshold * peak);
        return samples[first..(last + 1)];
    }

    /// <summary>Centres the samples in a window of <paramref name="length"/>: pads both sides with zeros, or crops both ends.</summary>
    public static float[] FitLength(float[] samples, int length)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var result = new float[length];
        if (samples.Length <= length) Array.Copy(samples, 0, result, (length - samples.Length) / 2, samples.Length);
        else Array.Copy(samples, (samples.Length - length) / 2, result, 0, length);
        return result;
    }

    /// <summary>
    /// Adds white Gaussian noise whose power is the signal's mean power divided by 10^(SNR/10), so that
    /// 10 log₁₀(P_signal / P_noise) = <paramref name="snrDecibels"/>. Silent padding counts in the signal's mean power.
    /// </summary>
    public static float[] AddNoise(float[] samples, double snrDecibels, Random random)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(random);
        double signalPower = samples.Length == 0 ? 0 : samples.Average(s => (double)s * s);
        double noiseDeviation = Math.Sqrt(signalPower / Math.Pow(10, snrDecibels / 10));
        var result = new float[samples.Length];
        for (int i = 0; i < samples.Length; i++)
        {
            // Box–Muller: two uniforms give one standard normal.
            double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
            double normal = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            result[i] = (float)(samples[i] + noiseDeviation * normal);
        }
        return result;
    }

    /// <summary>
    /// Plays the samples <paramref name="factor"/> times faster by linear interpolation at positions i · factor:
    /// the result is shorter by the factor, and every frequency is higher by it (a tape played fast).
    /// </summary>
    public static float[] ChangeSpeed(float[] samples, double factor)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(factor);
        int length = (int)Math.Floor((samples.Length - 1) / factor) + 1;
        if (samples.Length == 0) return samples;
        var result = new float[length];
        for (int i = 0; i < length; i++)
        {
            double position = i * factor;
            int left = (int)Math.Floor(position);
            int right = Math.Min(left + 1, samples.Length - 1);
            double fraction = position - left;
            result[i] = (float)((1 - fraction) * samples[left] + fraction * samples[right]);
        }
        return result;
    }
}
