using TransformersBook.GpuKernels;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>The ILGPU FlashAttention forward kernel on ILGPU's CPU accelerator against TorchSharp's scaled_dot_product_attention.</summary>
public class FlashAttentionKernelTests : IClassFixture<CpuKernelDevice>
{
    readonly KernelDevice device;

    public FlashAttentionKernelTests(CpuKernelDevice fixture)
    {
        TestSetup.Initialize();
        device = fixture.Device;
    }

    [Theory]
    [InlineData(1, 1, 4, false)]
    [InlineData(2, 37, 8, false)]
    [InlineData(2, 37, 8, true)]
    [InlineData(3, 16, 5, true)]
    [InlineData(1, 50, 16, true)]
    public void Equals_torch_scaled_dot_product_attention(int sequences, int n, int dim, bool causal)
    {
        var q = KernelData.Uniform(sequences * n, dim, scale: 2f, seed: 1);
        var k = KernelData.Uniform(sequences * n, dim, scale: 2f, seed: 2);
        var v = KernelData.Uniform(sequences * n, dim, scale: 1f, seed: 3);
        var (output, logSumExp) = new FlashAttentionKernel(device).Run(q, k, v, new FlashAttentionShape(sequences * n, n, dim, causal));

        using var scope = NewDisposeScope();
        Tensor Shaped(float[] x) => tensor(x).reshape(sequences, n, dim);
        var expected = nn.functional.scaled_dot_product_attention(Shaped(q), Shaped(k), Shaped(v), is_casual: causal);
        KernelData.AllClose(expected.data<float>().ToArray(), output, 1e-5);

        var scores = Shaped(q).matmul(Shaped(k).transpose(1, 2)) / Math.Sqrt(dim);
        if (causal) scores = scores.masked_fill(ones(n, n, dtype: ScalarType.Bool).triu(1), double.NegativeInfinity);
        KernelData.AllClose(scores.logsumexp(2).data<float>().ToArray(), logSumExp, 1e-4);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(16)]
    public void Any_rows_per_group_gives_the_same_result(int rowsPerGroup)
    {
        int n = 29, dim = 6;
        var q = KernelData.Uniform(n, dim, scale: 2f, seed: 4);
        var k = KernelData.Uniform(n, dim, scale: 2f, seed: 5);
        var v = KernelData.Uniform(n, dim, scale: 1f, seed: 6);
        var shape = new FlashAttentionShape(n, n, dim, causal: true);
        var reference = new FlashAttentionKernel(device, 8).Run(q, k, v, shape).Output;
        KernelData.AllClose(reference, new FlashAttentionKernel(device, rowsPerGroup).Run(q, k, v, shape).Output, 1e-6);
    }

    [Fact]
    public void Large_scores_stay_finite()
    {
        int n = 40, dim = 4;
        var q = KernelData.Uniform(n, dim, scale: 100f, seed: 7);
        var k = KernelData.Uniform(n, dim, scale: 100f, seed: 8);
        var v = KernelData.Uniform(n, dim, scale: 1f, seed: 9);
        var (output, _) = new FlashAttentionKernel(device).Run(q, k, v, new FlashAttentionShape(n, n, dim, causal: false));
        Assert.All(output, x => Assert.True(float.IsFinite(x)));
    }

    [Fact]
    public void Rejects_rows_that_are_not_whole_sequences()
    {
        var x = new float[10 * 4];
        Assert.Throws<ArgumentException>(() => new FlashAttentionKernel(device).Run(x, x, x, new FlashAttentionShape(10, 3, 4, causal: false)));
    }
}
