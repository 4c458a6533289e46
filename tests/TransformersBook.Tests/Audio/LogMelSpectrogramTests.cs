using TorchSharp;
using TransformersBook.Audio;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

[Collection(ProcessState.Name)]
public class LogMelSpectrogramTests
{
    public LogMelSpectrogramTests() => TestSetup.Initialize();

    static float[] Chirp(int length, int rate)
    {
        var random = new Random(8);
        return Enumerable.Range(0, length).Select(i => (float)(0.5 * Math.Sin(2 * Math.PI * (200 + 3000.0 * i / length) * i / rate) + 0.05 * (random.NextDouble() - 0.5))).ToArray();
    }

    [Fact]
    public void The_hann_window_is_the_periodic_one_of_torch()
    {
        var ours = LogMelSpectrogram.HannWindow(512);
        var theirs = hann_window(512, periodic: true, dtype: ScalarType.Float64).data<double>().ToArray();
        Assert.True(ours.Zip(theirs).Max(p => Math.Abs(p.First - p.Second)) < 1e-12);
    }

    [Fact]
    public void The_power_spectrogram_matches_torch_stft()
    {
        var options = new LogMelOptions(SampleRate: 16000, FrameLength: 256, Hop: 128, Mels: 20);
        var samples = Chirp(4000, 16000);
        var ours = new LogMelSpectrogram(options).PowerSpectrogram(samples);
        var stft = torch.stft(tensor(samples.Select(s => (double)s).ToArray()), 256, hop_length: 128, window: hann_window(256, dtype: ScalarType.Float64),
            center: false, return_complex: true);                                 // (bins, frames)
        var theirs = stft.abs().square().t().contiguous();
        Assert.Equal(new long[] { options.FrameCount(4000), 129 }, theirs.shape);
        var flat = theirs.data<double>().ToArray();
        double worst = 0;
        for (int t = 0; t < ours.GetLength(0); t++)
            for (int k = 0; k < 129; k++) worst = Math.Max(worst, Math.Abs(ours[t, k] - flat[t * 129 + k]));
        Assert.True(worst < 1e-6, $"max |difference| {worst}");
    }

    [Fact]
    public void The_log_mel_spectrogram_matches_one_built_on_FftSharp()
    {
        var options = new LogMelOptions(SampleRate: 22050, FrameLength: 512, Hop: 256, Mels: 40, MaxHertz: 8000);
        var samples = Chirp(6000, 22050);
        var ours = new LogMelSpectrogram(options).Compute(samples);
        // The reference: FftSharp's FFT of each Hann-windowed frame and FftSharp's mel scale for the filter edges.
        double low = FftSharp.Mel.FromFreq(0), high = FftSharp.Mel.FromFreq(8000);
        var edges = Enumerable.Range(0, 42).Select(i => FftSharp.Mel.ToFreq(low + (high - low) * i / 41)).ToArray();
        int frames = options.FrameCount(samples.Length);
        double worst = 0;
        for (int t = 0; t < frames; t++)
        {
            var frame = Enumerable.Range(0, 512).Select(n => samples[t * 256 + n] * (0.5 - 0.5 * Math.Cos(2 * Math.PI * n / 512))).ToArray();
            var spectrum = FftSharp.FFT.ForwardReal(frame);
            for (int j = 0; j < 40; j++)
            {
                double energy = 0;
                for (int k = 0; k < spectrum.Length; k++)
                {
                    double f = k * 22050.0 / 512;
                    double weight = Math.Max(0, Math.Min((f - edges[j]) / (edges[j + 1] - edges[j]), (edges[j + 2] - f) / (edges[j + 2] - edges[j + 1])));
                    energy += weight * spectrum[k].Magnitude * spectrum[k].Magnitude;
                }
                worst = Math.Max(worst, Math.Abs(ours[t, j] - Math.Log(energy + 1e-6)));
            }
        }
        Assert.True(worst < 1e-4, $"max |difference| {worst}");
    }

    [Fact]
    public void A_pure_tone_lights_the_band_that_holds_its_frequency()
    {
        var options = new LogMelOptions(SampleRate: 16000, FrameLength: 512, Hop: 256, Mels: 20, MaxHertz: 8000);
        var tone = Enumerable.Range(0, 8000).Select(i => (float)Math.Sin(2 * Math.PI * 1000 * i / 16000)).ToArray();
        var spectrogram = new LogMelSpectrogram(options).Compute(tone);
        int loudest = Enumerable.Range(0, 20).MaxBy(j => spectrogram[3, j]);
        // The band whose peak is nearest 1000 Hz on the mel scale.
        double melStep = MelFilterbank.HertzToMel(8000) / 21;
        int expected = (int)Math.Round(MelFilterbank.HertzToMel(1000) / melStep) - 1;
        Assert.Equal(expected, loudest);
        Assert.Equal(options.FrameCount(8000), spectrogram.GetLength(0));
        Assert.Equal(1 + (8000 - 512) / 256, options.FrameCount(8000));
    }
}
