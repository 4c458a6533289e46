using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TransformersBook.Attention;

/// <summary>
/// The Memorizing Transformer's kNN-augmented attention (Wu et al., 2022): besides ordinary causal attention over the
/// current segment, each head looks up the k keys most similar to its query among the keys and values of earlier
/// segments kept in an external memory, attends over those k, and mixes the two results with a learned gate per head,
/// g·memory + (1 − g)·local. The memory is not trained through: keys and values are stored as computed (detached), and
/// the oldest are dropped beyond <see cref="MemorySize"/>. Retrieval here is exact (a matrix product and top-k); the
/// paper uses approximate nearest neighbours for memories of hundreds of thousands of entries.
/// </summary>
public sealed class KnnMemoryAttention : nn.Module<Tensor, Tensor>
{
    readonly Linear qkv;
    readonly Linear output;
    readonly Parameter gateLogits;   // one per head: g = sigmoid(gate)
    readonly int heads;
    Tensor? memoryKeys;              // (batch, heads, N, head size)
    Tensor? memoryValues;

    /// <param name="width">d, the model width.</param>
    /// <param name="heads">Attention heads.</param>
    /// <param name="topK">k, memories retrieved per query.</param>
    /// <param name="memorySize">The most key–value pairs kept per sequence and head.</param>
    public KnnMemoryAttention(int width, int heads, int topK, int memorySize) : base(nameof(KnnMemoryAttention))
    {
        if (width % heads != 0) throw new ArgumentException($"width {width} is not divisible by {heads} heads.", nameof(heads));
        this.heads = heads;
        TopK = topK;
        MemorySize = memorySize;
        qkv = nn.Linear(width, 3 * width);
        output = nn.Linear(width, width);
        gateLogits = nn.Parameter(zeros(heads));
        RegisterComponents();
    }

    /// <summary>k, the memories each query retrieves.</summary>
    public int TopK { get; }

    /// <summary>The most pairs kept per sequence and head.</summary>
    public int MemorySize { get; }

    /// <summary>Whether a forward pass adds the segment's keys and values to the memory (turn off to evaluate without writing).</summary>
    public bool Remembering { get; set; } = true;

    /// <summary>Pairs in the memory now (per sequence and head).</summary>
    public long MemoryLength => memoryKeys?.shape[2] ?? 0;

    /// <summary>g per head: how much of each head's output comes from the memory.</summary>
    public Tensor Gates => gateLogits.detach().sigmoid();

    /// <summary>Forgets every stored pair (at the start of a new document).</summary>
    public void ClearMemory()
    {
        memoryKeys?.Dispose();
        memoryValues?.Dispose();
        memoryKeys = memoryValues = null;
    }

    /// <param name="x">(batch, L, width): the current segment.</param>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], l = x.shape[1], d = x.shape[2], size = d / heads;
        var parts = qkv.forward(x).split(d, dim: 2);
        Tensor Heads(Tensor z) => z.view(b, l, heads, size).transpose(1, 2);
        var (q, k, v) = (Heads(parts[0]), Heads(parts[1]), Heads(parts[2]));
        var local = nn.functional.scaled_dot_product_attention(q, k, v, is_casual: true);
        var y = local;
        if (memoryKeys is not null && memoryKeys.shape[0] != b) throw new InvalidOperationException($"the memory holds {memoryKeys.shape[0]} sequences; this batch has {b}. Clear it first.");
        if (memoryKeys is not null)
        {
            // The k most similar stored keys for every query, then attention over just those.
            int k2 = (int)Math.Min(TopK, memoryKeys.shape[2]);
            var similarity = q.matmul(memoryKeys.transpose(2, 3));                                 // (B, H, L, N)
            var (topScores, topIndex) = similarity.topk(k2, dim: -1);
            var index = topIndex.unsqueeze(-1).expand(b, heads, l, k2, size);
            var values = memoryValues!.unsqueeze(2).expand(b, heads, l, memoryValues.shape[2], size).gather(3, index);
            var weights = nn.functional.softmax(topScores / Math.Sqrt(size), dim: -1);              // (B, H, L, k)
            var fromMemory = (weights.unsqueeze(-1) * values).sum(3);                              // (B, H, L, s)
            var g = gateLogits.sigmoid().view(1, heads, 1, 1);
            y = g * fromMemory + (1 - g) * local;
        }
        if (Remembering) Store(k.detach(), v.detach());
        return output.forward(y.transpose(1, 2).contiguous().view(b, l, d)).MoveToOuterDisposeScope();
    }

    void Store(Tensor keys, Tensor values)
    {
        var newKeys = memoryKeys is null ? keys : cat(new[] { memoryKeys, keys }, dim: 2);
        var newValues = memoryValues is null ? values : cat(new[] { memoryValues, values }, dim: 2);
        long n = newKeys.shape[2], keep = Math.Min(n, MemorySize);
        var keptKeys = newKeys.narrow(2, n - keep, keep).clone().DetachFromDisposeScope();
        var keptValues = newValues.narrow(2, n - keep, keep).clone().DetachFromDisposeScope();
        ClearMemory();
        (memoryKeys, memoryValues) = (keptKeys, keptValues);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) ClearMemory();
        base.Dispose(disposing);
    }
}
