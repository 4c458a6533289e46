namespace TransformersBook.Audio;

/// <summary>The settings of a log-mel spectrogram.</summary>
/// <param name="SampleRate">Samples per second of the input.</param>
/// <param name="FrameLength">Samples per frame, also the FFT length N (a power of two).</param>
/// <param name="Hop">Samples between the starts of consecutive frames.</param>
/// <param name="Mels">M, the number of mel bands.</param>
/// <param name="MinHertz">The lower edge of the first mel filter.</param>
/// <param name="MaxHertz">The upper edge of the last mel filter (at most SampleRate / 2).</param>
/// <param name="Floor">Added to each band's energy before the logarithm, so silence gives log(Floor), not −∞.</param>
public sealed record LogMelOptions(int SampleRate = 22050, int FrameLength = 512, int Hop = 256, int Mels = 40,
    double MinHertz = 0, double MaxHertz = 8000, double Floor = 1e-6)
{
    /// <summary>The number of whole frames in <paramref name="samples"/> samples (no padding): 1 + ⌊(S − N)/hop⌋.</summary>
    public int FrameCount(int samples) => samples < FrameLength ? 0 : 1 + (samples - FrameLength) / Hop;

    /// <summary>The number of samples that gives exactly <paramref name="frames"/> frames.</summary>
    public int SamplesFor(int frames) => FrameLength + (frames - 1) * Hop;
}
