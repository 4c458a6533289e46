using System.Text;

namespace TransformersBook.Audio;

/// <summary>
/// Reads and writes RIFF/WAVE files of 16-bit PCM, the format espeak-ng writes: a "RIFF" header, a "fmt " chunk
/// (format 1 = PCM, channels, sample rate, bits per sample) and a "data" chunk of little-endian samples. Several
/// channels are averaged to one; other chunks are skipped.
/// </summary>
public static class WavFile
{
    /// <summary>Reads a 16-bit PCM file into a mono clip with samples scaled to [−1, 1) (divided by 32 768).</summary>
    /// <exception cref="InvalidDataException">Not a RIFF/WAVE file of 16-bit PCM.</exception>
    public static AudioClip Read(string path) => Read(File.ReadAllBytes(path));

    /// <summary>Reads the bytes of a 16-bit PCM WAVE file into a mono clip.</summary>
    /// <exception cref="InvalidDataException">Not a RIFF/WAVE file of 16-bit PCM.</exception>
    public static AudioClip Read(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length < 12 || Tag(bytes, 0) != "RIFF" || Tag(bytes, 8) != "WAVE")
            throw new InvalidDataException("Not a RIFF/WAVE file.");
        int channels = 0, sampleRate = 0, bits = 0;
        int position = 12;
        while (position + 8 <= bytes.Length)
        {
            string id = Tag(bytes, position);
            int size = BitConverter.ToInt32(bytes, position + 4);
            int body = position + 8;
            if (id == "fmt ")
            {
                int format = BitConverter.ToInt16(bytes, body);
                channels = BitConverter.ToInt16(bytes, body + 2);
                sampleRate = BitConverter.ToInt32(bytes, body + 4);
                bits = BitConverter.ToInt16(bytes, body + 14);
                if (format != 1 || bits != 16) throw new InvalidDataException($"Only 16-bit PCM is read (format {format}, {bits} bits).");
            }
            else if (id == "data")
            {
                if (channels == 0) throw new InvalidDataException("The data chunk comes before the fmt chunk.");
                // espeak-ng writing to a pipe leaves the size unset (0 or −1): then the data runs to the end of the file.
                int length = size <= 0 || body + size > bytes.Length ? bytes.Length - body : size;
                int frames = length / (2 * channels);
                var samples = new float[frames];
                for (int i = 0; i < frames; i++)
                {
                    int sum = 0;
                    for (int c = 0; c < channels; c++) sum += BitConverter.ToInt16(bytes, body + 2 * (i * channels + c));
                    samples[i] = sum / (32768f * channels);
                }
                return new AudioClip(samples, sampleRate);
            }
            position = body + size + (size & 1);
        }
        throw new InvalidDataException("No data chunk.");
    }

    /// <summary>Writes a mono clip as 16-bit PCM (values clipped to [−1, 1]).</summary>
    public static byte[] Write(AudioClip clip)
    {
        ArgumentNullException.ThrowIfNull(clip);
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        int dataBytes = 2 * clip.Samples.Length;
        writer.Write(Encoding.ASCII.GetBytes("RIFF"));
        writer.Write(36 + dataBytes);
        writer.Write(Encoding.ASCII.GetBytes("WAVEfmt "));
        writer.Write(16);
        writer.Write((short)1);
        writer.Write((short)1);
        writer.Write(clip.SampleRate);
        writer.Write(2 * clip.SampleRate);
        writer.Write((short)2);
        writer.Write((short)16);
        writer.Write(Encoding.ASCII.GetBytes("data"));
        writer.Write(dataBytes);
        foreach (float s in clip.Samples) writer.Write((short)Math.Round(Math.Clamp(s, -1f, 32767f / 32768f) * 32768f));
        writer.Flush();
        return stream.ToArray();
    }

    static string Tag(byte[] bytes, int offset) => Encoding.ASCII.GetString(bytes, offset, 4);
}
