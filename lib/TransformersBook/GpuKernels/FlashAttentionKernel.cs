using ILGPU;
using ILGPU.Runtime;

namespace TransformersBook.GpuKernels;

/// <summary>
/// The FlashAttention forward pass (Dao et al., 2022) as one ILGPU kernel, in the spirit of flash-attention-minimal:
/// one thread group per tile of consecutive query rows, one thread per query row. The group walks over the keys in
/// tiles of <see cref="KeysPerTile"/>: its threads copy the tile's keys and values into shared memory together, then
/// each thread scores its query against the tile, updates its running maximum m and normaliser l (online softmax,
/// Milakov and Gimelshein, 2018) and rescales its output row by exp(m_old − m_new) before adding the tile's weighted
/// values. Nothing of size n × n exists anywhere: global memory holds Q, K, V, O and one log-sum-exp per row, O(n·d).
/// Inputs are row-major (sequences·n, d), every sequence (one batch entry and head) of the same length n.
/// </summary>
public sealed class FlashAttentionKernel
{
    /// <summary>Keys (and values) per shared-memory tile, B_c.</summary>
    public const int KeysPerTile = 16;

    /// <summary>The widest query, key and value rows the shared tiles hold.</summary>
    public const int MaxDim = 128;

    /// <summary>The most query rows (threads) per group the shared score tile holds.</summary>
    public const int MaxRowsPerGroup = 64;

    readonly KernelDevice device;
    readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, FlashAttentionShape> kernel;

    /// <param name="device">Where the kernel is compiled and runs.</param>
    /// <param name="rowsPerGroup">Query rows per thread group, B_r; null takes up to 64, as many as the device allows.</param>
    public FlashAttentionKernel(KernelDevice device, int? rowsPerGroup = null)
    {
        this.device = device;
        int limit = Math.Min(MaxRowsPerGroup, device.Accelerator.MaxNumThreadsPerGroup);
        RowsPerGroup = rowsPerGroup ?? limit;
        if (RowsPerGroup < 1 || RowsPerGroup > limit)
            throw new ArgumentOutOfRangeException(nameof(rowsPerGroup), RowsPerGroup, $"Rows per group must be 1 to {limit} on {device.Name}.");
        kernel = device.Accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, FlashAttentionShape>(Attend);
    }

    /// <summary>Query rows handled by one thread group, B_r.</summary>
    public int RowsPerGroup { get; }

    /// <summary>
    /// Bytes the kernel must move at the least: read Q, K and V once, write O and the log-sum-exp once. The key and value
    /// tiles are in fact reread once per query tile; that extra traffic is not counted (see <see cref="KernelTiming"/>).
    /// </summary>
    public static long BytesMoved(int rows, int dim) => sizeof(float) * (4L * rows * dim + rows);

    /// <summary>Enqueues the kernel; synchronise before reading <paramref name="output"/>.</summary>
    /// <param name="query">Q, rows × dim floats.</param>
    /// <param name="key">K, rows × dim floats.</param>
    /// <param name="value">V, rows × dim floats.</param>
    /// <param name="output">O, rows × dim floats; may not alias the inputs.</param>
    /// <param name="logSumExp">One float per row: L = m + log l, what a backward pass needs to recompute the probabilities.</param>
    /// <param name="shape">Rows, sequence length, width and the causal flag.</param>
    public void Launch(ArrayView<float> query, ArrayView<float> key, ArrayView<float> value, ArrayView<float> output, ArrayView<float> logSumExp, FlashAttentionShape shape)
    {
        long expected = (long)shape.Rows * shape.Dim;
        if (query.Length != expected || key.Length != expected || value.Length != expected || output.Length != expected)
            throw new ArgumentException($"every buffer must hold rows × dim = {expected} floats.");
        if (logSumExp.Length != shape.Rows) throw new ArgumentException($"the log-sum-exp buffer must hold one float per row ({shape.Rows}).", nameof(logSumExp));
        if (shape.Length < 1 || shape.Rows % shape.Length != 0) throw new ArgumentException("rows must be a whole number of sequences.");
        if (shape.Dim < 1 || shape.Dim > MaxDim) throw new ArgumentException($"dim must be 1 to {MaxDim}.");
        int tilesPerSequence = (shape.Length + RowsPerGroup - 1) / RowsPerGroup;
        int groups = shape.Rows / shape.Length * tilesPerSequence;
        kernel(new KernelConfig(groups, RowsPerGroup), query, key, value, output, logSumExp, shape);
    }

    /// <summary>Copies the inputs to the device, runs the kernel and returns O (rows × dim) and the log-sum-exp per row.</summary>
    public (float[] Output, float[] LogSumExp) Run(float[] query, float[] key, float[] value, FlashAttentionShape shape)
    {
        var accelerator = device.Accelerator;
        using var q = accelerator.Allocate1D(query);
        using var k = accelerator.Allocate1D(key);
        using var v = accelerator.Allocate1D(value);
        using var o = accelerator.Allocate1D<float>((long)shape.Rows * shape.Dim);
        using var lse = accelerator.Allocate1D<float>(shape.Rows);
        Launch(q.View, k.View, v.View, o.View, lse.View, shape);
        accelerator.Synchronize();
        return (o.GetAsArray1D(), lse.GetAsArray1D());
    }

    static void Attend(ArrayView<float> query, ArrayView<float> key, ArrayView<float> value, ArrayView<float> output, ArrayView<float> logSumExp, FlashAttentionShape shape)
    {
        var keyTile = SharedMemory.Allocate<float>(KeysPerTile * MaxDim);
        var valueTile = SharedMemory.Allocate<float>(KeysPerTile * MaxDim);
        var scores = SharedMemory.Allocate<float>(MaxRowsPerGroup * KeysPerTile);

        int lane = Group.IdxX, rowsPerGroup = Group.DimX, n = shape.Length, dim = shape.Dim;
        int tilesPerSequence = (n + rowsPerGroup - 1) / rowsPerGroup;
        int sequence = Grid.IdxX / tilesPerSequence;
        int firstQuery = Grid.IdxX % tilesPerSequence * rowsPerGroup;
        int position = firstQuery + lane;                          // this thread's query position in its sequence
        bool active = position < n;
        long sequenceBase = (long)sequence * n;
        long queryBase = (sequenceBase + position) * dim;
        float scale = 1f / MathF.Sqrt(dim);

        // Causal: the group's last query sees keys up to its own position, so later key tiles are skipped entirely
        // (the same count for every thread of the group, as the barriers require).
        int lastKey = shape.Causal != 0 ? Math.Min(n, firstQuery + rowsPerGroup) : n;
        int keyTiles = (lastKey + KeysPerTile - 1) / KeysPerTile;

        if (active) for (int c = 0; c < dim; c++) output[queryBase + c] = 0f;
        float max = float.NegativeInfinity, sum = 0f;
        for (int tile = 0; tile < keyTiles; tile++)
        {
            int firstKey = tile * KeysPerTile;
            for (int e = lane; e < KeysPerTile * dim; e += rowsPerGroup)   // all threads copy the tile together
            {
                int j = firstKey + e / dim;
                long at = (sequenceBase + j) * dim + e % dim;
                keyTile[e] = j < n ? key[at] : 0f;
                valueTile[e] = j < n ? value[at] : 0f;
            }
            Group.Barrier();
            if (active)
            {
                float tileMax = float.NegativeInfinity;
                for (int j = 0; j < KeysPerTile; j++)
                {
                    int keyPosition = firstKey + j;
                    float score = float.NegativeInfinity;
                    if (keyPosition < n && (shape.Causal == 0 || keyPosition <= position))
                    {
                        score = 0f;
                        for (int c = 0; c < dim; c++) score += query[queryBase + c] * keyTile[j * dim + c];
                        score *= scale;
                    }
                    scores[lane * KeysPerTile + j] = score;
                    tileMax = IntrinsicMath.Max(tileMax, score);
                }
                if (tileMax != float.NegativeInfinity)            // a tile wholly masked for this row changes nothing
                {
                    float newMax = IntrinsicMath.Max(max, tileMax);
                    float rescale = max == float.NegativeInfinity ? 0f : KernelMath.Exp(max - newMax);
                    sum *= rescale;
                    for (int c = 0; c < dim; c++) output[queryBase + c] *= rescale;
                    for (int j = 0; j < KeysPerTile; j++)
                    {
                        float score = scores[lane * KeysPerTile + j];
                        if (score == float.NegativeInfinity) continue;
                        float weight = KernelMath.Exp(score - newMax);
                        sum += weight;
                        for (int c = 0; c < dim; c++) output[queryBase + c] += weight * valueTile[j * dim + c];
                    }
                    max = newMax;
                }
            }
            Group.Barrier();                                       // nobody overwrites the tile while another still reads it
        }
        if (active)
        {
            float inverse = 1f / sum;                              // every row sees at least one key (itself, when causal)
            for (int c = 0; c < dim; c++) output[queryBase + c] *= inverse;
            logSumExp[sequenceBase + position] = max + KernelMath.Log(sum);
        }
    }
}

/// <summary>The shape of a <see cref="FlashAttentionKernel"/> launch, passed to the kernel by value.</summary>
public struct FlashAttentionShape
{
    /// <summary>All query rows: sequences × <see cref="Length"/>.</summary>
    public int Rows;
    /// <summary>n, the length of each sequence; attention never crosses from one sequence into the next.</summary>
    public int Length;
    /// <summary>d, the width of a query, key and value row (at most <see cref="FlashAttentionKernel.MaxDim"/>).</summary>
    public int Dim;
    /// <summary>1: query i sees keys j ≤ i; 0: every key of its sequence.</summary>
    public int Causal;

    /// <summary>A launch shape; see the fields.</summary>
    public FlashAttentionShape(int rows, int length, int dim, bool causal)
    {
        Rows = rows;
        Length = length;
        Dim = dim;
        Causal = causal ? 1 : 0;
    }
}
