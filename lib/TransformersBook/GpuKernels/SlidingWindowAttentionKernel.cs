using ILGPU;
using ILGPU.Runtime;

namespace TransformersBook.GpuKernels;

/// <summary>
/// Sliding-window attention as one ILGPU kernel: thread (query row) i computes
/// oᵢ = Σⱼ softmax(qᵢ·kⱼ/√d)·vⱼ over the keys j with |i − j| ≤ r (or i − r ≤ j ≤ i when causal), one thread group per
/// block of consecutive query rows. A first pass over the window finds the maximum score and the normaliser together
/// (online softmax, Milakov and Gimelshein, 2018); a second pass recomputes each score and adds its weighted value to
/// the output row. No score is stored: memory is the inputs and the output, O(n·d), never the n × n matrix. Inputs are
/// row-major (sequences·n, d), every sequence of the same length n.
/// </summary>
public sealed class SlidingWindowAttentionKernel
{
    readonly KernelDevice device;
    readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, SlidingWindowShape> kernel;

    /// <param name="device">Where the kernel is compiled and runs.</param>
    /// <param name="rowsPerGroup">Query rows per thread group; null takes up to 64, as many as the device allows.</param>
    public SlidingWindowAttentionKernel(KernelDevice device, int? rowsPerGroup = null)
    {
        this.device = device;
        RowsPerGroup = Math.Min(rowsPerGroup ?? 64, device.Accelerator.MaxNumThreadsPerGroup);
        kernel = device.Accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, SlidingWindowShape>(Attend);
    }

    /// <summary>Query rows handled by one thread group.</summary>
    public int RowsPerGroup { get; }

    /// <summary>Enqueues the kernel; synchronise before reading <paramref name="output"/>.</summary>
    public void Launch(ArrayView<float> query, ArrayView<float> key, ArrayView<float> value, ArrayView<float> output, SlidingWindowShape shape)
    {
        long expected = (long)shape.Rows * shape.Dim;
        if (query.Length != expected || key.Length != expected || value.Length != expected || output.Length != expected)
            throw new ArgumentException($"every buffer must hold rows × dim = {expected} floats.");
        if (shape.Rows % shape.Length != 0) throw new ArgumentException("rows must be a whole number of sequences.");
        int groups = (shape.Rows + RowsPerGroup - 1) / RowsPerGroup;
        kernel(new KernelConfig(groups, RowsPerGroup), query, key, value, output, shape);
    }

    /// <summary>Copies the inputs to the device, runs the kernel and returns the (rows × dim) output.</summary>
    public float[] Run(float[] query, float[] key, float[] value, SlidingWindowShape shape)
    {
        var accelerator = device.Accelerator;
        using var q = accelerator.Allocate1D(query);
        using var k = accelerator.Allocate1D(key);
        using var v = accelerator.Allocate1D(value);
        using var o = accelerator.Allocate1D<float>((long)shape.Rows * shape.Dim);
        Launch(q.View, k.View, v.View, o.View, shape);
        accelerator.Synchronize();
        return o.GetAsArray1D();
    }

    static void Attend(ArrayView<float> query, ArrayView<float> key, ArrayView<float> value, ArrayView<float> output, SlidingWindowShape shape)
    {
        int row = Grid.IdxX * Group.DimX + Group.IdxX;
        if (row >= shape.Rows) return;
        int dim = shape.Dim;
        int position = row % shape.Length;
        int sequenceStart = row - position;
        int first = Math.Max(0, position - shape.Radius);
        int last = shape.Causal != 0 ? position : Math.Min(shape.Length - 1, position + shape.Radius);
        long queryBase = (long)row * dim;
        float scale = 1f / MathF.Sqrt(dim);
        float max = float.NegativeInfinity, sum = 0f;
        for (int j = first; j <= last; j++)                        // pass 1: online maximum and normaliser
        {
            long keyBase = (long)(sequenceStart + j) * dim;
            float score = 0f;
            for (int c = 0; c < dim; c++) score += query[queryBase + c] * key[keyBase + c];
            score *= scale;
            if (score > max) { sum = sum * KernelMath.Exp(max - score) + 1f; max = score; }
            else sum += KernelMath.Exp(score - max);
        }
        for (int c = 0; c < dim; c++) output[queryBase + c] = 0f;
        float inverse = 1f / sum;                                  // the window always holds the query itself
        for (int j = first; j <= last; j++)                        // pass 2: weighted sum of the values
        {
            long keyBase = (long)(sequenceStart + j) * dim;
            float score = 0f;
            for (int c = 0; c < dim; c++) score += query[queryBase + c] * key[keyBase + c];
            float weight = KernelMath.Exp(score * scale - max) * inverse;
            for (int c = 0; c < dim; c++) output[queryBase + c] += weight * value[keyBase + c];
        }
    }
}

/// <summary>The shape of a <see cref="SlidingWindowAttentionKernel"/> launch, passed to the kernel by value.</summary>
public struct SlidingWindowShape
{
    /// <summary>All query rows: sequences × <see cref="Length"/>.</summary>
    public int Rows;
    /// <summary>n, the length of each sequence (the window never crosses from one sequence into the next).</summary>
    public int Length;
    /// <summary>d, the width of a query, key and value row.</summary>
    public int Dim;
    /// <summary>r, keys up to r positions away are attended to.</summary>
    public int Radius;
    /// <summary>1 for the causal window i − r … i, 0 for the symmetric window i − r … i + r.</summary>
    public int Causal;

    /// <summary>A launch shape; see the fields.</summary>
    public SlidingWindowShape(int rows, int length, int dim, int radius, bool causal)
    {
        Rows = rows;
        Length = length;
        Dim = dim;
        Radius = radius;
        Causal = causal ? 1 : 0;
    }
}
