using TransformersBook.GpuKernels;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>The ILGPU RMSNorm on ILGPU's CPU accelerator against the same computation in TorchSharp.</summary>
public class RmsNormKernelTests : IClassFixture<CpuKernelDevice>
{
    readonly KernelDevice device;

    public RmsNormKernelTests(CpuKernelDevice fixture)
    {
        TestSetup.Initialize();
        device = fixture.Device;
    }

    /// <summary>x · rsqrt(mean(x²) + ε) · γ in float64.</summary>
    static float[] Reference(float[] x, float[] gamma, int rows, int cols, double epsilon = 1e-6)
    {
        using var scope = NewDisposeScope();
        var t = tensor(x).reshape(rows, cols).to_type(ScalarType.Float64);
        var y = t * rsqrt(t.square().mean(new long[] { 1 }, keepdim: true) + epsilon) * tensor(gamma).to_type(ScalarType.Float64);
        return y.to_type(ScalarType.Float32).data<float>().ToArray();
    }

    [Theory]
    [MemberData(nameof(KernelData.Shapes), MemberType = typeof(KernelData))]
    public void Equals_the_definition_for_both_strategies(int rows, int cols)
    {
        var x = KernelData.Uniform(rows, cols, scale: 3f);
        var gamma = KernelData.Uniform(1, cols, scale: 2f, seed: 1);
        var expected = Reference(x, gamma, rows, cols);
        foreach (var strategy in new[] { RowKernelStrategy.GroupPerRow, RowKernelStrategy.ThreadPerRow })
            KernelData.AllClose(expected, new RmsNormKernel(device, strategy).Run(x, gamma, rows, cols), 1e-5);
    }

    [Fact]
    public void Large_magnitudes_stay_finite_and_accurate()
    {
        int rows = 4, cols = 999;
        var x = KernelData.Uniform(rows, cols, scale: 1e4f);
        var gamma = Enumerable.Repeat(1f, cols).ToArray();
        var expected = Reference(x, gamma, rows, cols);
        KernelData.AllClose(expected, new RmsNormKernel(device).Run(x, gamma, rows, cols), 1e-5);
        KernelData.AllClose(expected, new RmsNormKernel(device, threadsPerRow: 2).Run(x, gamma, rows, cols), 1e-5);
    }

    [Fact]
    public void A_zero_row_stays_zero_because_of_epsilon()
    {
        var y = new RmsNormKernel(device).Run(new float[10], Enumerable.Repeat(1f, 5).ToArray(), 2, 5);
        Assert.All(y, v => Assert.Equal(0f, v));
    }
}
