using TransformersBook.Checks;
using Xunit;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

public class DifferenceTests
{
    public DifferenceTests() => TestSetup.Initialize();

    [Fact]
    public void Is_the_largest_absolute_elementwise_difference()
    {
        using var a = tensor(new float[] { 1, -2, 3.5f });
        using var b = tensor(new float[] { 1.25f, 2, 3 });
        Assert.Equal(4.0, Difference.MaxAbs(a, b));
        Assert.Equal(0.0, Difference.MaxAbs(a, a));
    }

    [Fact]
    public void Keeps_double_precision_and_broadcasts()
    {
        using var a = tensor(new double[] { 1e-12, 0 }).reshape(2, 1);
        using var b = zeros(2, 3, dtype: ScalarType.Float64);
        Assert.Equal(1e-12, Difference.MaxAbs(a, b));
    }

    [Fact]
    public void Nan_fails_every_bound_and_empty_tensors_agree()
    {
        using var a = tensor(new float[] { 0, float.NaN });
        Assert.True(double.IsNaN(Difference.MaxAbs(a, zeros(2))));
        Assert.Equal(0.0, Difference.MaxAbs(zeros(0), zeros(0)));
    }
}
