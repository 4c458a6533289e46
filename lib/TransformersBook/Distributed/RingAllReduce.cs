namespace TransformersBook.Distributed;

/// <summary>
/// The ring all-reduce, simulated in one process so each message can be counted: N buffers are cut into N chunks; in
/// the reduce-scatter, at step t device i sends chunk (i − t) mod N to device i + 1, which adds it to its own; after
/// N − 1 steps device i holds the full sum of chunk (i + 1) mod N, and the all-gather passes the summed chunks on around
/// the ring in N − 1 more steps.
/// </summary>
public static class RingAllReduce
{
    /// <summary>Sums the buffers in place (every buffer ends with the element-wise sum); returns the elements each device sent.</summary>
    /// <exception cref="ArgumentException">The buffers differ in length.</exception>
    public static long[] Run(float[][] buffers)
    {
        ArgumentNullException.ThrowIfNull(buffers);
        int n = buffers.Length;
        int length = buffers[0].Length;
        if (buffers.Any(b => b.Length != length)) throw new ArgumentException("All buffers need the same length.", nameof(buffers));
        var sent = new long[n];
        (int Start, int End) Chunk(int c) => ((int)((long)length * c / n), (int)((long)length * (c + 1) / n));
        for (int step = 0; step < n - 1; step++)
        {
            // All sends of a step use values from before the step, as simultaneous messages would.
            var messages = Enumerable.Range(0, n).Select(i =>
            {
                var (start, end) = Chunk(((i - step) % n + n) % n);
                return (Target: (i + 1) % n, Start: start, Values: buffers[i][start..end]);
            }).ToList();
            for (int i = 0; i < n; i++)
            {
                var m = messages[i];
                for (int e = 0; e < m.Values.Length; e++) buffers[m.Target][m.Start + e] += m.Values[e];
                sent[i] += m.Values.Length;
            }
        }
        for (int step = 0; step < n - 1; step++)
        {
            var messages = Enumerable.Range(0, n).Select(i =>
            {
                var (start, end) = Chunk(((i + 1 - step) % n + n) % n);
                return (Target: (i + 1) % n, Start: start, Values: buffers[i][start..end]);
            }).ToList();
            for (int i = 0; i < n; i++)
            {
                var m = messages[i];
                m.Values.CopyTo(buffers[m.Target], m.Start);
                sent[i] += m.Values.Length;
            }
        }
        return sent;
    }
}
