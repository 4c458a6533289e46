namespace TransformersBook.Audio;

/// <summary>A mono recording: samples in [−1, 1] and the number of samples per second.</summary>
/// <param name="Samples">The waveform, one value per sample.</param>
/// <param name="SampleRate">Samples per second (espeak-ng writes 22 050).</param>
public sealed record AudioClip(float[] Samples, int SampleRate)
{
    /// <summary>The length in seconds.</summary>
    public double Seconds => (double)Samples.Length / SampleRate;
}
