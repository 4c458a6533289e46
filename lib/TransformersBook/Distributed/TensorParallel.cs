using TorchSharp;
using TransformersBook.Attention;
using static TorchSharp.torch;

namespace TransformersBook.Distributed;

/// <summary>
/// Megatron-style tensor parallelism, written as the computation each of p devices does. Weights follow
/// <c>nn.Linear</c>'s layout [out, in]. In the MLP, shard i holds rows of the first weight (a column split of the
/// matrix that multiplies x) and the matching columns of the second (a row split): its GELU needs no communication, and
/// the partial outputs are summed by one all-reduce. In attention, shard i holds h/p whole heads: their rows of the
/// query, key and value projections and their columns of the output projection; again one sum at the end.
/// </summary>
public static class TensorParallel
{
    /// <summary>The range [start, start + length) of a dimension of <paramref name="size"/> that shard <paramref name="shard"/> of <paramref name="shards"/> holds.</summary>
    /// <exception cref="ArgumentException">The size does not divide evenly.</exception>
    public static (long Start, long Length) ShardRange(long size, int shard, int shards)
    {
        if (size % shards != 0) throw new ArgumentException($"{size} does not split evenly into {shards} shards.");
        long length = size / shards;
        return (shard * length, length);
    }

    /// <summary>
    /// Shard <paramref name="shard"/>'s partial MLP output GELU(x W₁ᵢᵀ + b₁ᵢ) W₂ᵢᵀ, without the output bias (added
    /// once, after the sum).
    /// </summary>
    public static Tensor MlpShard(Tensor x, Tensor w1, Tensor b1, Tensor w2, int shard, int shards)
    {
        var (start, length) = ShardRange(w1.shape[0], shard, shards);
        var hidden = nn.functional.gelu(nn.functional.linear(x, w1.narrow(0, start, length), b1.narrow(0, start, length)));
        return nn.functional.linear(hidden, w2.narrow(1, start, length));
    }

    /// <summary>The MLP over <paramref name="shards"/> shards: the sum of the partial outputs (the all-reduce) plus b₂.</summary>
    public static Tensor Mlp(Tensor x, Tensor w1, Tensor b1, Tensor w2, Tensor b2, int shards)
    {
        var total = MlpShard(x, w1, b1, w2, 0, shards);
        for (int shard = 1; shard < shards; shard++) total = total + MlpShard(x, w1, b1, w2, shard, shards);
        return total + b2;
    }

    /// <summary>
    /// Shard <paramref name="shard"/>'s partial attention output for x [batch, time, width]: causal softmax attention
    /// of its heads, times its columns of the output projection, without the output bias.
    /// </summary>
    /// <param name="heads">The total number of heads h; the shard computes h/p of them.</param>
    public static Tensor AttentionShard(Tensor x, Tensor wq, Tensor wk, Tensor wv, Tensor wo, int heads, int shard, int shards)
    {
        long batch = x.shape[0], time = x.shape[1], width = x.shape[2];
        long headSize = width / heads;
        var (firstHead, localHeads) = ShardRange(heads, shard, shards);
        long start = firstHead * headSize, length = localHeads * headSize;
        Tensor Project(Tensor w) => nn.functional.linear(x, w.narrow(0, start, length)).view(batch, time, localHeads, headSize).transpose(1, 2);
        var q = Project(wq);
        var k = Project(wk);
        var v = Project(wv);
        var scores = q.matmul(k.transpose(2, 3)) / Math.Sqrt(headSize);
        var weights = scores.masked_fill(AttentionMasks.Causal(time, x.device).logical_not(), float.NegativeInfinity).softmax(-1);
        var mixed = weights.matmul(v).transpose(1, 2).reshape(batch, time, length);
        return nn.functional.linear(mixed, wo.narrow(1, start, length));
    }

    /// <summary>Causal multi-head attention over <paramref name="shards"/> shards: the sum of the partial outputs plus the output bias.</summary>
    public static Tensor Attention(Tensor x, Tensor wq, Tensor wk, Tensor wv, Tensor wo, Tensor bo, int heads, int shards)
    {
        var total = AttentionShard(x, wq, wk, wv, wo, heads, 0, shards);
        for (int shard = 1; shard < shards; shard++) total = total + AttentionShard(x, wq, wk, wv, wo, heads, shard, shards);
        return total + bo;
    }
}
