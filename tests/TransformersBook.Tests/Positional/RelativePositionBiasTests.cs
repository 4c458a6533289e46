using TransformersBook.Positional;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

[Collection(ProcessState.Name)]
public class RelativePositionBiasTests
{
    public RelativePositionBiasTests() => TestSetup.Initialize();

    [Fact]
    public void The_bias_depends_only_on_the_offset()
    {
        manual_seed(2);
        using var relative = new RelativePositionBias(heads: 3, maxDistance: 4);
        using var bias = relative.Bias(12, 12);
        Assert.Equal(new long[] { 3, 12, 12 }, bias.shape);
        // Shifting query and key by the same amount leaves every entry unchanged: bias[h, i, j] = bias[h, i + s, j + s].
        for (int shift = 1; shift < 5; shift++)
        {
            using var original = bias.narrow(1, 0, 12 - shift).narrow(2, 0, 12 - shift);
            using var shifted = bias.narrow(1, shift, 12 - shift).narrow(2, shift, 12 - shift);
            Assert.True(original.allclose(shifted, 0, 0));
        }
        // Offsets differ, and the learned table gives them different values (random initialisation).
        Assert.NotEqual(bias[0, 5, 5].item<float>(), bias[0, 5, 6].item<float>());
    }

    [Fact]
    public void Offsets_beyond_the_maximum_distance_share_one_bias()
    {
        using var relative = new RelativePositionBias(heads: 2, maxDistance: 3);
        using var offsets = relative.ClippedOffsets(10, 10);
        Assert.Equal(3L, offsets[0, 0].item<long>());     // offset 0 → row k
        Assert.Equal(6L, offsets[0, 9].item<long>());     // offset +9 clipped to +3
        Assert.Equal(0L, offsets[9, 0].item<long>());     // offset −9 clipped to −3
        using var bias = relative.Bias(10, 10);
        Assert.True(bias[.., 0, 3].allclose(bias[.., 0, 9], 0, 0));
        Assert.Equal(new long[] { 7, 2 }, relative.Weight.shape);
    }

    [Fact]
    public void Queries_are_the_last_positions_when_fewer_than_keys()
    {
        using var relative = new RelativePositionBias(heads: 2, maxDistance: 8);
        using var full = relative.Bias(6, 6);
        using var last = relative.Bias(2, 6);
        Assert.True(last.allclose(full.narrow(1, 4, 2), 0, 0));
        using var logits = zeros(1, 2, 2, 6);
        using var added = relative.forward(logits);
        Assert.True(added[0].allclose(last, 0, 0));
    }
}
