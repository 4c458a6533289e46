using TransformersBook.Audio;

namespace TransformersBook.Tests;

public class WavFileTests
{
    [Fact]
    public void A_written_clip_reads_back_to_the_nearest_16_bit_step()
    {
        var samples = Enumerable.Range(0, 1000).Select(i => (float)(0.8 * Math.Sin(i * 0.05))).ToArray();
        var clip = WavFile.Read(WavFile.Write(new AudioClip(samples, 16000)));
        Assert.Equal(16000, clip.SampleRate);
        Assert.Equal(1000, clip.Samples.Length);
        Assert.True(samples.Zip(clip.Samples).Max(p => Math.Abs(p.First - p.Second)) <= 0.5 / 32768 + 1e-7);
    }

    [Fact]
    public void Stereo_is_averaged_and_an_unset_data_size_runs_to_the_end()
    {
        // A hand-made header: 2 channels, 8 kHz, 16 bits, data size 0 (as a synthesiser writing to a pipe leaves it).
        var bytes = new List<byte>();
        void Ascii(string s) => bytes.AddRange(System.Text.Encoding.ASCII.GetBytes(s));
        Ascii("RIFF"); bytes.AddRange(BitConverter.GetBytes(0)); Ascii("WAVEfmt ");
        bytes.AddRange(BitConverter.GetBytes(16)); bytes.AddRange(BitConverter.GetBytes((short)1)); bytes.AddRange(BitConverter.GetBytes((short)2));
        bytes.AddRange(BitConverter.GetBytes(8000)); bytes.AddRange(BitConverter.GetBytes(32000)); bytes.AddRange(BitConverter.GetBytes((short)4));
        bytes.AddRange(BitConverter.GetBytes((short)16)); Ascii("data"); bytes.AddRange(BitConverter.GetBytes(0));
        foreach (short s in new short[] { 16384, 0, -32768, -32768 }) bytes.AddRange(BitConverter.GetBytes(s));
        var clip = WavFile.Read(bytes.ToArray());
        Assert.Equal(new[] { 0.25f, -1f }, clip.Samples);
        Assert.Equal(8000, clip.SampleRate);
    }

    [Fact]
    public void Other_formats_are_refused() =>
        Assert.Throws<InvalidDataException>(() => WavFile.Read(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 }));
}
