using TorchSharp;
using TransformersBook.Attention;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>Causal and padding masks, and their combination, against masks written out by hand.</summary>
public class AttentionMasksTests
{
    public AttentionMasksTests() => TestSetup.Initialize();

    static bool[] Flat(Tensor t) => t.to_type(ScalarType.Bool).reshape(-1).data<bool>().ToArray();

    [Fact]
    public void The_causal_mask_is_the_lower_triangle()
    {
        using var mask = AttentionMasks.Causal(3);
        Assert.Equal(new long[] { 3, 3 }, mask.shape);
        Assert.Equal(ScalarType.Bool, mask.dtype);
        Assert.Equal(new[] { true, false, false, true, true, false, true, true, true }, Flat(mask));
    }

    [Fact]
    public void After_earlier_keys_query_i_sees_every_earlier_key_and_the_new_ones_up_to_itself()
    {
        using var mask = AttentionMasks.CausalAfter(past: 2, queries: 2);
        Assert.Equal(new long[] { 2, 4 }, mask.shape);
        Assert.Equal(new[] { true, true, true, false, true, true, true, true }, Flat(mask));
        using var none = AttentionMasks.CausalAfter(past: 0, queries: 3);
        Assert.Equal(Flat(AttentionMasks.Causal(3)), Flat(none));
        Assert.Throws<ArgumentOutOfRangeException>(() => AttentionMasks.CausalAfter(past: -1, queries: 2));
    }

    [Fact]
    public void The_padding_mask_keeps_each_sequence_s_length()
    {
        using var scope = NewDisposeScope();
        var mask = AttentionMasks.Padding(tensor(new long[] { 1, 3, 0 }), 3);
        Assert.Equal(new[] { true, false, false, true, true, true, false, false, false }, Flat(mask));
        Assert.Equal(new[] { true, false, true }, Flat(AttentionMasks.NotPadding(tensor(new long[] { 5, 0, 7 }), 0)));
    }

    [Fact]
    public void Combined_masks_broadcast_to_batch_queries_keys()
    {
        using var scope = NewDisposeScope();
        var padding = AttentionMasks.ForKeys(AttentionMasks.Padding(tensor(new long[] { 2, 3 }), 3));
        Assert.Equal(new long[] { 2, 1, 1, 3 }, padding.shape);
        var combined = AttentionMasks.Combine(AttentionMasks.Causal(3), padding);
        Assert.Equal(new long[] { 2, 1, 3, 3 }, combined.shape);
        Assert.Equal(new[] { true, false, false, true, true, false, true, true, false }, Flat(combined[0, 0]));
        Assert.Equal(new[] { true, false, false, true, true, false, true, true, true }, Flat(combined[1, 0]));
    }

    [Fact]
    public void The_additive_form_is_zero_where_kept_and_minus_infinity_elsewhere()
    {
        using var scope = NewDisposeScope();
        var additive = AttentionMasks.ToAdditive(AttentionMasks.Causal(2));
        Assert.Equal(0f, additive[0, 0].item<float>());
        Assert.Equal(float.NegativeInfinity, additive[0, 1].item<float>());
        Assert.Equal(0f, additive[1, 0].item<float>());
        Assert.Equal(0f, additive[1, 1].item<float>());
    }
}
