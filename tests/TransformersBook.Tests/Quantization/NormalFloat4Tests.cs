using TransformersBook.Quantization;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>NF4: the published levels, their quantile construction, round-trip bounds and the bits per parameter.</summary>
[Collection(ProcessState.Name)]
public class NormalFloat4Tests
{
    public NormalFloat4Tests() => TestSetup.Initialize();

    static float[] Values(Tensor t) => t.to_type(ScalarType.Float32).contiguous().data<float>().ToArray();

    // The NF4 table as bitsandbytes hard-codes it: get_4bit_type("nf4") in bitsandbytes/functional.py
    // (github.com/bitsandbytes-foundation/bitsandbytes, commit 95f9af309d4d5793847169c39288dcd3fcbdf564), the same
    // values as the CUDA kernels' lookup table in csrc/kernels.cu.
    static readonly double[] Published =
    {
        -1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453, -0.28444138169288635,
        -0.18477343022823334, -0.09105003625154495, 0.0, 0.07958029955625534, 0.16093020141124725,
        0.24611230194568634, 0.33791524171829224, 0.44070982933044434, 0.5626170039176941, 0.7229568362236023, 1.0,
    };

    [Fact]
    public void The_levels_are_the_published_table_8_positive_7_negative_and_an_exact_zero()
    {
        Assert.Equal(Published, NormalFloat4.Levels);
        Assert.Equal(8, NormalFloat4.Levels.Count(v => v > 0));
        Assert.Equal(7, NormalFloat4.Levels.Count(v => v < 0));
        Assert.Equal(1, NormalFloat4.Levels.Count(v => v == 0));
    }

    [Fact]
    public void The_quantile_construction_recomputes_the_published_levels()
    {
        // bitsandbytes computed its table from float32 probabilities; in float64 the levels agree to a few 1e-7.
        var recomputed = NormalFloat4.QuantileLevels();
        Assert.Equal(16, recomputed.Length);
        for (int i = 0; i < 16; i++) Assert.True(Math.Abs(recomputed[i] - Published[i]) < 2e-6, $"level {i}: {recomputed[i]} vs {Published[i]}");
    }

    [Fact]
    public void Levels_times_a_block_scale_come_back_exactly_and_are_packed_two_per_byte()
    {
        // A block of 64: the 16 levels times 3, four times over; its absmax is 3 and every number is a level.
        var block = Enumerable.Range(0, 64).Select(i => (float)(3 * Published[i % 16])).ToArray();
        using var x = tensor(block).view(2, 32);
        using var q = NormalFloat4.Quantize(x, blockSize: 64);
        Assert.Equal(new float[] { 3f }, Values(q.BlockAbsmax!));
        Assert.Equal(Enumerable.Range(0, 64).Select(i => (float)(i % 16)).ToArray(), Values(q.Codes()));
        // Codes 0 and 1 share the first byte: 0·16 + 1.
        Assert.Equal(1, q.PackedCodes[0].item<byte>());
        Assert.Equal(32, q.PackedCodes.numel());
        using var back = q.Dequantize();
        Assert.Equal(new long[] { 2, 32 }, back.shape);
        Assert.True((back - x).abs().max().item<float>() < 1e-6);
    }

    [Fact]
    public void The_round_trip_error_is_at_most_half_the_widest_gap_times_the_block_absmax()
    {
        manual_seed(4);
        using var w = randn(32, 128);
        using var back = NormalFloat4.RoundTrip(w, blockSize: 64);
        double halfGap = Published.Zip(Published.Skip(1), (a, b) => b - a).Max() / 2;
        using var absmax = w.reshape(-1, 64).abs().amax(new long[] { 1 }, keepdim: true);
        using var bound = absmax * halfGap + 1e-6;
        using var error = (back - w).reshape(-1, 64).abs();
        Assert.True((error <= bound).all().item<bool>());
        // Each block's largest magnitude is exact: it is ±absmax = ±1 · absmax.
        using var largest = w.reshape(-1, 64).abs().argmax(1, keepdim: true);
        Assert.True(error.gather(1, largest).max().item<float>() < 1e-6);
    }

    [Fact]
    public void On_normal_weights_nf4_beats_uniform_4_bit_absmax_at_the_same_block_size()
    {
        manual_seed(5);
        using var w = randn(64, 256) * 0.02;
        using var nf4 = NormalFloat4.RoundTrip(w, blockSize: 64);
        using var int4 = AbsmaxQuantizer.RoundTrip(w.reshape(-1, 64), bits: 4, perChannel: true).reshape(64, 256);
        double nf4Error = (nf4 - w).pow(2).mean().item<float>(), int4Error = (int4 - w).pow(2).mean().item<float>();
        Assert.True(nf4Error < 0.9 * int4Error, $"NF4 {nf4Error} against int4 {int4Error}");
    }

    [Fact]
    public void Bits_per_parameter_follow_the_arithmetic_with_and_without_double_quantization()
    {
        Assert.Equal(4.5, NormalFloat4.BitsPerParameter(64), 12);
        Assert.Equal(4 + 8.0 / 64 + 32.0 / (64 * 256), NormalFloat4.BitsPerParameter(64, doubleQuantization: true), 12);
        Assert.Equal(4.127, NormalFloat4.BitsPerParameter(64, doubleQuantization: true), 3);

        manual_seed(6);
        using var w = randn(256, 256);   // 65 536 numbers, 1024 blocks, 4 groups of 256 blocks
        using var plain = NormalFloat4.Quantize(w, 64);
        Assert.Equal(65_536 / 2 + 1024 * 4, plain.StorageBytes);
        Assert.Equal(4.5, plain.BitsPerParameter, 12);
        using var dq = NormalFloat4.Quantize(w, 64, doubleQuantization: true);
        // codes, 1024 int8 constants, 4 fp32 scales and the fp32 mean that was subtracted.
        Assert.Equal(65_536 / 2 + 1024 + 4 * 4 + 4, dq.StorageBytes);
        Assert.Equal(4 + 8.0 / 64 + 32.0 / (64 * 256) + 32.0 / 65_536, dq.BitsPerParameter, 12);
    }

    [Fact]
    public void Double_quantized_constants_are_within_half_a_step_of_the_fp32_ones()
    {
        manual_seed(7);
        using var w = randn(128, 256) * 0.05;
        using var plain = NormalFloat4.Quantize(w, 64);
        using var dq = NormalFloat4.Quantize(w, 64, doubleQuantization: true);
        Assert.Equal(Values(plain.Codes()), Values(dq.Codes()));
        using var exact = plain.Absmax();
        using var approximate = dq.Absmax();
        using var halfStep = dq.AbsmaxScale!.repeat_interleave(256).narrow(0, 0, exact.shape[0]) / 2 + 1e-7;
        Assert.True(((approximate - exact).abs() <= halfStep).all().item<bool>());
        // and the weights move by at most that much per unit level: |level| ≤ 1.
        using var difference = (dq.Dequantize() - plain.Dequantize()).abs().reshape(-1, 64).amax(new long[] { 1 });
        Assert.True((difference <= halfStep).all().item<bool>());
    }
}
