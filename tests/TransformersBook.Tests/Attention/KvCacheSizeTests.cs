using TransformersBook.Attention;

namespace TransformersBook.Tests;

/// <summary>The KV cache's size, checked against numbers worked out by hand.</summary>
public class KvCacheSizeTests
{
    [Fact]
    public void A_small_case_by_hand()
    {
        // 2 (K and V) × 2 layers × 3 heads × 4 numbers × 5 positions × 1 sequence × 2 bytes = 480 bytes.
        Assert.Equal(480, KvCacheSize.Bytes(layers: 2, keyValueHeads: 3, headSize: 4, sequence: 5, batch: 1, bytesPerElement: 2));
    }

    [Fact]
    public void A_7B_model_at_4096_tokens_needs_2_GiB_with_MHA_and_a_quarter_with_8_KV_heads()
    {
        // Llama-2-7B: 32 layers, 32 heads of 128, float16. 2·32·32·128·4096·2 bytes = 2 GiB per sequence.
        long mha = KvCacheSize.Bytes(32, 32, 128, 4096, 1, 2);
        Assert.Equal(2L * 1024 * 1024 * 1024, mha);
        Assert.Equal(mha / 4, KvCacheSize.Bytes(32, 8, 128, 4096, 1, 2));
        Assert.Equal(mha / 32, KvCacheSize.Bytes(32, 1, 128, 4096, 1, 2));
    }

    [Fact]
    public void Negative_sizes_and_overflow_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => KvCacheSize.Bytes(-1, 1, 1, 1, 1, 1));
        Assert.Throws<OverflowException>(() => KvCacheSize.Bytes(int.MaxValue, int.MaxValue, int.MaxValue, 1, 1, 1));
    }
}
