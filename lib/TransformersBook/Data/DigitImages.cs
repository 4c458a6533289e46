using static TorchSharp.torch;

namespace TransformersBook.Data;

/// <summary>Grey 28 × 28 digit images, row by row in one array, with their labels.</summary>
/// <param name="Pixels">Count × 784 values in [0, 1], image after image.</param>
/// <param name="Labels">The digit of each image.</param>
public sealed record DigitImages(float[] Pixels, int[] Labels)
{
    /// <summary>The number of images.</summary>
    public int Count => Labels.Length;

    /// <summary>The images at <paramref name="indices"/> as a (n, 1, 28, 28) float tensor.</summary>
    public Tensor Images(IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var selected = new float[indices.Count * MnistDigits.PixelsPerImage];
        for (int i = 0; i < indices.Count; i++)
            Array.Copy(Pixels, (long)indices[i] * MnistDigits.PixelsPerImage, selected, (long)i * MnistDigits.PixelsPerImage, MnistDigits.PixelsPerImage);
        return tensor(selected).reshape(indices.Count, 1, MnistDigits.Side, MnistDigits.Side);
    }

    /// <summary>The labels at <paramref name="indices"/> as an int64 tensor.</summary>
    public Tensor LabelTensor(IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        return tensor(indices.Select(i => (long)Labels[i]).ToArray());
    }

    /// <summary>
    /// A split that keeps the classes balanced: a seeded shuffle of each digit's images, <paramref name="testPerClass"/>
    /// of each into the test set and the rest into the training pool, which is then shuffled across digits so that any
    /// prefix of it is a random sample of the pool.
    /// </summary>
    public (int[] TrainPool, int[] Test) StratifiedSplit(int testPerClass, int seed)
    {
        var random = new Random(seed);
        var train = new List<int>();
        var test = new List<int>();
        foreach (var group in Enumerable.Range(0, Count).GroupBy(i => Labels[i]).OrderBy(g => g.Key))
        {
            var shuffled = group.OrderBy(_ => random.Next()).ToArray();
            if (shuffled.Length <= testPerClass)
                throw new ArgumentException($"Digit {group.Key} has {shuffled.Length} images, too few for {testPerClass} test images.", nameof(testPerClass));
            test.AddRange(shuffled.Take(testPerClass));
            train.AddRange(shuffled.Skip(testPerClass));
        }
        return (train.OrderBy(_ => random.Next()).ToArray(), test.ToArray());
    }
}
