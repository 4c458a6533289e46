using static TorchSharp.torch;

namespace TransformersBook.Attention;

/// <summary>
/// A simplified, single-round version of the LSH attention of Reformer (Kitaev et al., 2020). Queries and keys share one
/// projection (shared-QK), so a vector's bucket decides both what it looks for and where it is found. Vectors are
/// hashed by a random rotation R: h(x) = argmax([xR; −xR]), which puts nearby directions in the same bucket with high
/// probability (angular LSH, Andoni et al., 2015). Positions are sorted by bucket, cut into chunks of equal length, and
/// each query attends only to keys of its own bucket inside its own chunk: the score tensor is n × chunk instead of
/// n × n. Unlike Reformer there is one hash round and no look-back into the previous chunk.
/// </summary>
public static class LshAttention
{
    /// <summary>A (dim, buckets / 2) matrix of standard normal entries drawn from a seeded <see cref="Random"/>.</summary>
    public static Tensor RandomRotation(long dim, int buckets, int seed)
    {
        if (buckets < 2 || buckets % 2 != 0) throw new ArgumentException("the number of buckets must be even and at least 2.", nameof(buckets));
        var random = new Random(seed);
        var values = new float[dim * (buckets / 2)];
        for (int i = 0; i < values.Length; i++)
        {
            // Box–Muller: two uniforms give one standard normal.
            double u = 1.0 - random.NextDouble(), w = random.NextDouble();
            values[i] = (float)(Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * w));
        }
        return tensor(values, new long[] { dim, buckets / 2 });
    }

    /// <summary>The bucket of each row of <paramref name="x"/> (n, d): argmax over [xR; −xR], int64 (n).</summary>
    public static Tensor Buckets(Tensor x, Tensor rotation)
    {
        using var scope = NewDisposeScope();
        var rotated = x.matmul(rotation.to(x.device));
        return cat(new[] { rotated, rotated.neg() }, -1).argmax(-1).MoveToOuterDisposeScope();
    }

    /// <summary>The order that sorts positions by bucket, ties kept in position order (a stable sort).</summary>
    public static Tensor SortOrder(Tensor buckets)
    {
        using var scope = NewDisposeScope();
        long n = buckets.shape[0];
        return (buckets * n + arange(n, dtype: ScalarType.Int64, device: buckets.device)).argsort().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Attention of each query over the keys in its bucket and its chunk of the bucket-sorted order.
    /// </summary>
    /// <param name="query">(n, d)</param>
    /// <param name="key">(n, d); with shared-QK pass the same tensor as <paramref name="query"/>.</param>
    /// <param name="value">(n, d_v)</param>
    /// <param name="buckets">(n) int64 bucket of each position.</param>
    /// <param name="chunkSize">Positions per chunk; must divide n.</param>
    /// <returns>(n, d_v) in the original position order.</returns>
    public static Tensor Compute(Tensor query, Tensor key, Tensor value, Tensor buckets, int chunkSize)
    {
        long n = query.shape[0];
        if (chunkSize <= 0 || n % chunkSize != 0) throw new ArgumentException($"the chunk size {chunkSize} must divide n = {n}.", nameof(chunkSize));
        using var scope = NewDisposeScope();
        long chunks = n / chunkSize;
        var order = SortOrder(buckets);
        var q = query.index_select(0, order).reshape(chunks, chunkSize, -1);
        var k = key.index_select(0, order).reshape(chunks, chunkSize, -1);
        var v = value.index_select(0, order).reshape(chunks, chunkSize, -1);
        var b = buckets.index_select(0, order).reshape(chunks, chunkSize);
        var scores = q.matmul(k.transpose(-2, -1)) / Math.Sqrt(query.shape[^1]);   // (chunks, chunk, chunk)
        var sameBucket = b.unsqueeze(-1).eq(b.unsqueeze(-2));
        var sorted = MaskedSoftmax.Softmax(scores, sameBucket).matmul(v).reshape(n, -1);
        return sorted.index_select(0, order.argsort()).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The (n, n) mask of the pairs <see cref="Compute"/> lets attend: same bucket and same chunk of the sorted order.
    /// Dense attention under this mask gives the same output, which is how the tests check it.
    /// </summary>
    public static Tensor PairMask(Tensor buckets, int chunkSize)
    {
        using var scope = NewDisposeScope();
        var rank = SortOrder(buckets).argsort();                  // where each position lands after sorting
        var chunk = rank.div(chunkSize, rounding_mode: RoundingMode.floor);
        var keep = buckets.unsqueeze(1).eq(buckets.unsqueeze(0)).logical_and(chunk.unsqueeze(1).eq(chunk.unsqueeze(0)));
        return keep.MoveToOuterDisposeScope();
    }
}
