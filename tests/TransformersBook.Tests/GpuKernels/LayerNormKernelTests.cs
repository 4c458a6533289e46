using TransformersBook.GpuKernels;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>The ILGPU layer norm on ILGPU's CPU accelerator against TorchSharp's layer_norm.</summary>
public class LayerNormKernelTests : IClassFixture<CpuKernelDevice>
{
    readonly KernelDevice device;

    public LayerNormKernelTests(CpuKernelDevice fixture)
    {
        TestSetup.Initialize();
        device = fixture.Device;
    }

    /// <summary>torch's layer_norm, computed in float64 so the reference's own rounding does not count against the kernel.</summary>
    static float[] Reference(float[] x, float[] gamma, float[] beta, int rows, int cols, double epsilon = 1e-5)
    {
        using var scope = NewDisposeScope();
        var t = tensor(x).reshape(rows, cols).to_type(ScalarType.Float64);
        var y = nn.functional.layer_norm(t, new long[] { cols }, tensor(gamma).to_type(ScalarType.Float64), tensor(beta).to_type(ScalarType.Float64), epsilon);
        return y.to_type(ScalarType.Float32).data<float>().ToArray();
    }

    [Theory]
    [MemberData(nameof(KernelData.Shapes), MemberType = typeof(KernelData))]
    public void Equals_torch_layer_norm_for_both_strategies(int rows, int cols)
    {
        var x = KernelData.Uniform(rows, cols, scale: 3f);
        var gamma = KernelData.Uniform(1, cols, scale: 2f, seed: 1);
        var beta = KernelData.Uniform(1, cols, scale: 1f, seed: 2);
        var expected = Reference(x, gamma, beta, rows, cols);
        foreach (var strategy in new[] { RowKernelStrategy.GroupPerRow, RowKernelStrategy.ThreadPerRow })
            KernelData.AllClose(expected, new LayerNormKernel(device, strategy).Run(x, gamma, beta, rows, cols), 1e-5);
    }

    [Fact]
    public void Large_magnitudes_and_an_offset_mean_are_normalised_accurately()
    {
        int rows = 6, cols = 777;
        var x = KernelData.Uniform(rows, cols, scale: 1e4f);
        // Row 1: a mean of 100 with a spread of 1, where E[x²] − E[x]² would cancel most digits.
        for (int j = 0; j < cols; j++) x[cols + j] = 100f + x[cols + j] * 1e-4f;
        var gamma = Enumerable.Repeat(1f, cols).ToArray();
        var beta = new float[cols];
        var expected = Reference(x, gamma, beta, rows, cols);
        KernelData.AllClose(expected, new LayerNormKernel(device).Run(x, gamma, beta, rows, cols), 1e-5);
        KernelData.AllClose(expected, new LayerNormKernel(device, RowKernelStrategy.ThreadPerRow).Run(x, gamma, beta, rows, cols), 1e-5);
    }

    [Fact]
    public void Agrees_with_torch_in_float32_too()
    {
        int rows = 9, cols = 250;
        var x = KernelData.Uniform(rows, cols, scale: 10f);
        var gamma = KernelData.Uniform(1, cols, scale: 1f, seed: 3);
        var beta = KernelData.Uniform(1, cols, scale: 1f, seed: 4);
        using var scope = NewDisposeScope();
        var expected = nn.functional.layer_norm(tensor(x).reshape(rows, cols), new long[] { cols }, tensor(gamma), tensor(beta)).data<float>().ToArray();
        KernelData.AllClose(expected, new LayerNormKernel(device, threadsPerRow: 4).Run(x, gamma, beta, rows, cols), 1e-5);
    }

    [Fact]
    public void Rejects_a_gain_of_the_wrong_length()
    {
        var kernel = new LayerNormKernel(device);
        Assert.Throws<ArgumentException>(() => kernel.Run(new float[6], new float[2], new float[3], 2, 3));
    }
}
