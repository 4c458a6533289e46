using TransformersBook.Distributed;

namespace TransformersBook.Tests;

/// <summary>
/// The arithmetic of distributed training: ZeRO's per-device memory against Table 1 of Rajbhandari et al. (2020), the
/// ring all-reduce's volume, and GPipe's bubble.
/// </summary>
public class ParallelArithmeticTests
{
    [Fact]
    public void Zero_memory_matches_table_1_of_the_paper()
    {
        // 7.5B parameters, N_d = 64, K = 12: 120 GB baseline, 31.4 / 16.6 / 1.88 GB for stages 1 / 2 / 3 (GB = 10⁹ bytes).
        double GB(ZeroStage stage) => ZeroMemory.BytesPerDevice(7.5e9, 64, stage) / 1e9;
        Assert.Equal(120, GB(ZeroStage.None), 6);
        Assert.Equal(31.4, Math.Round(GB(ZeroStage.OptimizerStates), 1));
        Assert.Equal(16.6, Math.Round(GB(ZeroStage.Gradients), 1));
        Assert.Equal(1.88, Math.Round(GB(ZeroStage.Parameters), 2));
        // Stage 3 divides all 16 bytes per parameter: 128B parameters on 1024 devices hold 16 · 128e9 / 1024 = 2.0e9 bytes each.
        Assert.Equal(2.0, ZeroMemory.BytesPerDevice(128e9, 1024, ZeroStage.Parameters) / 1e9, 6);
        Assert.Equal(3, ZeroMemory.CommunicationInUnitsOfParameters(ZeroStage.Parameters));
        Assert.Equal(2, ZeroMemory.CommunicationInUnitsOfParameters(ZeroStage.Gradients));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public void Ring_all_reduce_sums_and_sends_two_n_minus_one_over_n(int devices)
    {
        const int length = 30;
        var buffers = Enumerable.Range(0, devices).Select(d => Enumerable.Range(0, length).Select(e => (float)(d * 100 + e)).ToArray()).ToArray();
        var expected = Enumerable.Range(0, length).Select(e => buffers.Sum(b => b[e])).ToArray();
        var sent = RingAllReduce.Run(buffers);
        foreach (var buffer in buffers) Assert.Equal(expected, buffer);
        Assert.Equal(2.0 * (devices - 1) / devices * length, sent.Average(), 9);
        Assert.Equal(CommunicationVolume.RingAllReduceBytes(length, devices), sent.Average() * 4, 9);
    }

    [Theory]
    [InlineData(4, 1)]
    [InlineData(4, 8)]
    [InlineData(2, 3)]
    public void Gpipe_with_equal_times_has_the_bubble_of_the_formula(int stages, int microbatches)
    {
        var forward = new double[stages, microbatches];
        var backward = new double[stages, microbatches];
        for (int s = 0; s < stages; s++)
            for (int j = 0; j < microbatches; j++) { forward[s, j] = 1; backward[s, j] = 2; }
        var timeline = GpipeSchedule.Replay(forward, backward);
        Assert.Equal(3.0 * (microbatches + stages - 1), timeline.Makespan, 9);
        Assert.Equal(GpipeSchedule.BubbleFraction(stages, microbatches), timeline.BubbleFraction, 9);
        Assert.Equal(3.0 / 11, GpipeSchedule.BubbleFraction(4, 8), 12);
    }

    [Fact]
    public void Communication_volumes_by_hand()
    {
        // 1M fp32 gradients over 4 devices: 2·3/4·1e6·4 = 6e6 bytes.
        Assert.Equal(6e6, CommunicationVolume.RingAllReduceBytes(1_000_000, 4), 6);
        Assert.Equal(0, CommunicationVolume.RingAllReduceBytes(1_000_000, 1));
        // batch 8 × time 1024 × width 4096 in fp16 over 8 devices: 4 · 2·7/8 · 33.5M · 2 bytes.
        Assert.Equal(4 * 1.75 * 8 * 1024 * 4096 * 2.0, CommunicationVolume.TensorParallelBytesPerLayer(8, 1024, 4096, 8, 2), 3);
        Assert.Equal(2.0 * 8 * 1024 * 4096 * 2, CommunicationVolume.PipelineBytesPerBoundary(8, 1024, 4096, 2), 3);
    }
}
