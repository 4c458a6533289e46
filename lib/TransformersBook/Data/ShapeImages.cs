using TorchSharp;
using static TorchSharp.torch;

namespace TransformersBook.Data;

/// <summary>
/// A tiny image–caption world the book renders itself, for contrastive image–text training without downloading images:
/// one shape (circle, square, triangle, cross) in one colour (red, green, blue, yellow), small or large, on the left,
/// right, top or bottom of a dark 32 × 32 RGB canvas, shifted by a pixel or two and covered in Gaussian noise; and a
/// caption from a template, "a photo of a small red circle on the left". Everything is drawn from a seeded
/// <see cref="Random"/>, so the same seed gives the same pixels on every machine.
/// </summary>
/// <remarks>
/// The rasteriser samples each pixel once, at its centre (no anti-aliasing): a pixel belongs to the shape when its
/// centre lies inside it. Captions are word-level tokens: the vocabulary is small and closed, which keeps the chapter
/// about the two encoders and the contrastive loss rather than about tokenisation.
/// </remarks>
public static class ShapeImages
{
    /// <summary>Shape names.</summary>
    public static IReadOnlyList<string> Shapes { get; } = new[] { "circle", "square", "triangle", "cross" };

    /// <summary>Colour names.</summary>
    public static IReadOnlyList<string> Colours { get; } = new[] { "red", "green", "blue", "yellow" };

    /// <summary>Size names.</summary>
    public static IReadOnlyList<string> Sizes { get; } = new[] { "small", "large" };

    /// <summary>Position names.</summary>
    public static IReadOnlyList<string> Positions { get; } = new[] { "left", "right", "top", "bottom" };

    /// <summary>How many distinct scenes there are (shapes × colours × sizes × positions).</summary>
    public static int SceneCount => Shapes.Count * Colours.Count * Sizes.Count * Positions.Count;

    /// <summary>The RGB value, each channel in [0, 1], of each colour.</summary>
    public static IReadOnlyList<(float R, float G, float B)> Rgb { get; } = new[] { (0.9f, 0.1f, 0.1f), (0.1f, 0.8f, 0.2f), (0.15f, 0.3f, 0.95f), (0.95f, 0.85f, 0.1f) };

    /// <summary>The grey of the empty canvas.</summary>
    public const float Background = 0.1f;

    /// <summary>The side of the square canvas in pixels.</summary>
    public const int ImageSize = 32;

    /// <summary>The half-extent (radius) in pixels of a small and of a large shape.</summary>
    public static IReadOnlyList<double> Radii { get; } = new[] { 4.0, 7.0 };

    /// <summary>The padding token id.</summary>
    public const long PaddingId = 0;

    /// <summary>The id of the [CLS] token that starts every token sequence; the text encoder reads its output.</summary>
    public const long ClassId = 1;

    /// <summary>The longest token sequence: [CLS] and the ten words of the longest caption.</summary>
    public const int ContextLength = 11;

    /// <summary>Token id → word: padding, [CLS], then the words the template can use.</summary>
    public static IReadOnlyList<string> Vocabulary { get; } = new[] { "<pad>", "[CLS]", "a", "photo", "of", "shape", "on", "the", "at" }
        .Concat(Sizes).Concat(Colours).Concat(Shapes).Concat(Positions).ToArray();

    static readonly Dictionary<string, long> WordIds = Vocabulary.Select((w, i) => (w, (long)i)).ToDictionary(p => p.w, p => p.Item2);

    /// <summary>The centre (x, y) of a shape at each position, before jitter.</summary>
    static readonly (double X, double Y)[] Centres = { (9, 16), (23, 16), (16, 9), (16, 23) };

    /// <summary>Every scene, in the order of <see cref="ShapeScene.Index"/>.</summary>
    public static IReadOnlyList<ShapeScene> AllScenes() =>
        Enumerable.Range(0, SceneCount).Select(SceneAt).ToArray();

    /// <summary>The scene with this <see cref="ShapeScene.Index"/>.</summary>
    public static ShapeScene SceneAt(int index)
    {
        int position = index % Positions.Count; index /= Positions.Count;
        int size = index % Sizes.Count; index /= Sizes.Count;
        int colour = index % Colours.Count; index /= Colours.Count;
        return new ShapeScene(index, colour, size, position);
    }

    /// <summary>The full caption of a scene.</summary>
    public static string Caption(ShapeScene scene) => Caption(scene, true, true, true, true);

    /// <summary>
    /// A caption that mentions only some attributes: a left-out size, colour or position is omitted, a left-out shape
    /// becomes the word "shape" ("a photo of a red shape").
    /// </summary>
    public static string Caption(ShapeScene scene, bool size, bool colour, bool shape, bool position)
    {
        var words = new List<string> { "a", "photo", "of", "a" };
        if (size) words.Add(Sizes[scene.Size]);
        if (colour) words.Add(Colours[scene.Colour]);
        words.Add(shape ? Shapes[scene.Shape] : "shape");
        if (position)
            words.AddRange(Positions[scene.Position] is "left" or "right"
                ? new[] { "on", "the", Positions[scene.Position] }
                : new[] { "at", "the", Positions[scene.Position] });
        return string.Join(' ', words);
    }

    /// <summary>
    /// A training caption: each of size, colour and position is left out with probability <paramref name="dropProbability"/>,
    /// and the shape's name with the same probability, so the text encoder also sees short descriptions such as
    /// "a photo of a circle", the form zero-shot prompts take.
    /// </summary>
    public static string RandomCaption(ShapeScene scene, Random random, double dropProbability)
    {
        ArgumentNullException.ThrowIfNull(random);
        bool Keep() => random.NextDouble() >= dropProbability;
        bool size = Keep(), colour = Keep(), shape = Keep(), position = Keep();
        // Keep at least the shape or the colour, so every caption says what is drawn.
        if (!shape && !colour) shape = true;
        return Caption(scene, size, colour, shape, position);
    }

    /// <summary>Token ids of a caption: [CLS], one id per word, padding up to <see cref="ContextLength"/>.</summary>
    public static long[] Encode(string caption)
    {
        var words = caption.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length + 1 > ContextLength)
            throw new ArgumentException($"'{caption}' has {words.Length} words; at most {ContextLength - 1} fit.", nameof(caption));
        var ids = new long[ContextLength];
        ids[0] = ClassId;
        for (int i = 0; i < words.Length; i++)
            ids[i + 1] = WordIds.TryGetValue(words[i], out long id) ? id : throw new ArgumentException($"'{words[i]}' is not in the vocabulary.", nameof(caption));
        return ids;
    }

    /// <summary>Captions as a (count, <see cref="ContextLength"/>) int64 tensor of token ids.</summary>
    public static Tensor Tokens(IEnumerable<string> captions, Device? device = null)
    {
        var rows = captions.Select(Encode).ToArray();
        return tensor(rows.SelectMany(r => r).ToArray(), new long[] { rows.Length, ContextLength }, device: device);
    }

    /// <summary>The words of token ids, without padding and [CLS].</summary>
    public static string Decode(IEnumerable<long> ids) =>
        string.Join(' ', ids.Where(i => i != PaddingId && i != ClassId).Select(i => Vocabulary[(int)i]));

    /// <summary>Whether the pixel centre (x, y) lies inside the shape of this kind centred at (cx, cy) with radius r.</summary>
    public static bool Inside(int shape, double x, double y, double cx, double cy, double r)
    {
        double dx = x - cx, dy = y - cy;
        return shape switch
        {
            0 => dx * dx + dy * dy <= r * r,                                         // circle
            1 => Math.Abs(dx) <= 0.8 * r && Math.Abs(dy) <= 0.8 * r,               // square, about the circle's area
            2 => dy >= -r && dy <= r && Math.Abs(dx) <= (dy + r) / 2,               // triangle, apex up (y grows downwards)
            3 => (Math.Abs(dx) <= r && Math.Abs(dy) <= r / 3) || (Math.Abs(dy) <= r && Math.Abs(dx) <= r / 3), // cross
            _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, "There are four shapes."),
        };
    }

    /// <summary>
    /// Draws a scene: a (3, 32, 32) image, channel-major, values clamped to [0, 1]. The shape's centre moves by up to
    /// <paramref name="jitter"/> pixels each way, and Gaussian noise of standard deviation <paramref name="noise"/> is
    /// added to every value, both drawn from <paramref name="random"/>.
    /// </summary>
    public static float[] Render(ShapeScene scene, Random random, int jitter = 2, double noise = 0.05)
    {
        ArgumentNullException.ThrowIfNull(scene);
        ArgumentNullException.ThrowIfNull(random);
        const int n = ImageSize;
        var pixels = new float[3 * n * n];
        var (cx, cy) = Centres[scene.Position];
        cx += random.Next(-jitter, jitter + 1);
        cy += random.Next(-jitter, jitter + 1);
        double r = Radii[scene.Size];
        var (red, green, blue) = Rgb[scene.Colour];
        for (int y = 0; y < n; y++)
            for (int x = 0; x < n; x++)
            {
                bool inside = Inside(scene.Shape, x + 0.5, y + 0.5, cx, cy, r);
                int at = y * n + x;
                pixels[at] = inside ? red : Background;
                pixels[n * n + at] = inside ? green : Background;
                pixels[2 * n * n + at] = inside ? blue : Background;
            }
        if (noise > 0)
            for (int i = 0; i < pixels.Length; i++)
                pixels[i] = Math.Clamp(pixels[i] + (float)(noise * Gaussian(random)), 0f, 1f);
        return pixels;
    }

    /// <summary>Draws scenes into a (count, 3, 32, 32) float tensor.</summary>
    public static Tensor Images(IReadOnlyList<ShapeScene> scenes, Random random, Device? device = null, int jitter = 2, double noise = 0.05)
    {
        ArgumentNullException.ThrowIfNull(scenes);
        var all = new float[scenes.Count * 3 * ImageSize * ImageSize];
        for (int i = 0; i < scenes.Count; i++)
            Render(scenes[i], random, jitter, noise).CopyTo(all, i * 3 * ImageSize * ImageSize);
        return tensor(all, new long[] { scenes.Count, 3, ImageSize, ImageSize }, device: device);
    }

    /// <summary>A standard normal number (Box–Muller), so the pixels depend only on the seed, not on a library.</summary>
    static double Gaussian(Random random) =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2.0 * Math.PI * random.NextDouble());
}
