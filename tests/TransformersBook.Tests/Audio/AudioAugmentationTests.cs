using TransformersBook.Audio;

namespace TransformersBook.Tests;

public class AudioAugmentationTests
{
    [Fact]
    public void Noise_is_added_at_the_requested_signal_to_noise_ratio()
    {
        var signal = Enumerable.Range(0, 20000).Select(i => (float)Math.Sin(i * 0.1)).ToArray();
        foreach (double snr in new[] { 20.0, 0.0, -5.0 })
        {
            var noisy = AudioAugmentation.AddNoise(signal, snr, new Random(1));
            double noisePower = signal.Zip(noisy).Average(p => (double)(p.Second - p.First) * (p.Second - p.First));
            double measured = 10 * Math.Log10(signal.Average(s => (double)s * s) / noisePower);
            Assert.InRange(measured, snr - 0.2, snr + 0.2);
        }
    }

    [Fact]
    public void A_faster_clip_is_shorter_and_higher()
    {
        // 100 Hz at 8 kHz, played 1.25 times faster: 125 Hz, 4/5 of the samples.
        var tone = Enumerable.Range(0, 8001).Select(i => (float)Math.Sin(2 * Math.PI * 100 * i / 8000)).ToArray();
        var fast = AudioAugmentation.ChangeSpeed(tone, 1.25);
        Assert.Equal(6401, fast.Length);
        var expected = Enumerable.Range(0, fast.Length).Select(i => Math.Sin(2 * Math.PI * 125 * i / 8000));
        Assert.True(fast.Zip(expected).Max(p => Math.Abs(p.First - p.Second)) < 1e-3);
        Assert.Equal(tone, AudioAugmentation.ChangeSpeed(tone, 1.0));
    }

    [Fact]
    public void Silence_is_trimmed_and_clips_are_centred()
    {
        var samples = new float[] { 0, 0.001f, 0.5f, -1f, 0.3f, 0, 0 };
        Assert.Equal(new[] { 0.5f, -1f, 0.3f }, AudioAugmentation.TrimSilence(samples));
        Assert.Equal(new[] { 0f, 1, 2, 3, 0, 0 }, AudioAugmentation.FitLength(new float[] { 1, 2, 3 }, 6));
        Assert.Equal(new[] { 2f, 3 }, AudioAugmentation.FitLength(new float[] { 1, 2, 3, 4 }, 2));
    }
}
