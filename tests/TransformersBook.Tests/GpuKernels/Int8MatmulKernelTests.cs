using TransformersBook.GpuKernels;
using TransformersBook.Quantization;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>The ILGPU int8 matmul on ILGPU's CPU accelerator against an integer product and TorchSharp's float matmul.</summary>
public class Int8MatmulKernelTests : IClassFixture<CpuKernelDevice>
{
    readonly KernelDevice device;

    public Int8MatmulKernelTests(CpuKernelDevice fixture)
    {
        TestSetup.Initialize();
        device = fixture.Device;
    }

    static sbyte[] RandomCodes(int count, int seed)
    {
        var random = new Random(seed);
        var codes = new sbyte[count];
        for (int i = 0; i < codes.Length; i++) codes[i] = (sbyte)random.Next(-127, 128);
        return codes;
    }

    static int[] IntegerProduct(sbyte[] x, sbyte[] w, Int8MatmulShape shape) =>
        Enumerable.Range(0, shape.Rows * shape.Cols)
            .Select(e => Enumerable.Range(0, shape.Inner)
                .Sum(k => x[e / shape.Cols * shape.Inner + k] * w[e % shape.Cols * shape.Inner + k]))
            .ToArray();

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 5, 4)]
    [InlineData(7, 33, 9)]
    [InlineData(16, 64, 17)]
    public void Int32_sums_equal_the_integer_product(int rows, int inner, int cols)
    {
        var shape = new Int8MatmulShape(rows, inner, cols);
        var x = RandomCodes(rows * inner, seed: rows + 31 * inner);
        var w = RandomCodes(cols * inner, seed: cols + 17 * inner);
        var result = new Int8MatmulKernel(device).Run(x, w, Enumerable.Repeat(1f, rows).ToArray(), Enumerable.Repeat(1f, cols).ToArray(), shape);
        Assert.Equal(IntegerProduct(x, w, shape), result.Accumulators);
    }

    [Fact]
    public void Extreme_codes_accumulate_past_the_int16_range()
    {
        // 127 · 127 · 300 = 4 838 700 and −127 · 127 · 300 are far outside int16 yet exact in int32.
        const int inner = 300;
        var shape = new Int8MatmulShape(2, inner, 2);
        var x = Enumerable.Repeat((sbyte)127, inner).Concat(Enumerable.Repeat((sbyte)-127, inner)).ToArray();
        var w = Enumerable.Repeat((sbyte)127, inner).Concat(Enumerable.Repeat((sbyte)-127, inner)).ToArray();
        var result = new Int8MatmulKernel(device).Run(x, w, new[] { 1f, 1f }, new[] { 1f, 1f }, shape);
        Assert.Equal(new[] { 127 * 127 * inner, -127 * 127 * inner, -127 * 127 * inner, 127 * 127 * inner }, result.Accumulators);
        Assert.Equal(IntegerProduct(x, w, shape), result.Accumulators);
    }

    [Fact]
    public void Dequantised_output_equals_torch_matmul_of_dequantised_operands()
    {
        const int rows = 12, inner = 48, cols = 20;
        using var scope = NewDisposeScope();
        var generator = new TorchSharp.torch.Generator(3);
        var activations = randn(new long[] { rows, inner }, generator: generator);
        var weight = randn(new long[] { cols, inner }, generator: generator) * 0.2f;
        var xq = AbsmaxQuantizer.Quantize(activations, perChannel: true);
        var wq = AbsmaxQuantizer.Quantize(weight, perChannel: true);
        var (xCodes, xScales) = Int8MatmulKernel.ToInt8(xq);
        var (wCodes, wScales) = Int8MatmulKernel.ToInt8(wq);
        Assert.Equal(rows, xScales.Length);
        Assert.Equal(cols, wScales.Length);
        var result = new Int8MatmulKernel(device).Run(xCodes, wCodes, xScales, wScales, new Int8MatmulShape(rows, inner, cols));
        var expected = xq.Dequantize().matmul(wq.Dequantize().t()).contiguous().data<float>().ToArray();
        KernelData.AllClose(expected, result.Output, 1e-4);
    }

    [Fact]
    public void Bytes_moved_counts_each_operand_once()
    {
        // int8 x (2·3) + int8 w (4·3) + float scales (2 + 4) + int32 and float outputs (2·4 each).
        Assert.Equal(6 + 12 + 4 * 6 + 8 * 8, Int8MatmulKernel.BytesMoved(new Int8MatmulShape(2, 3, 4)));
    }
}
