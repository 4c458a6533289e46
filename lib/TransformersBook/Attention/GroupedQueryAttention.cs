using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TransformersBook.Attention;

/// <summary>
/// Grouped-query attention of Ainslie et al. (2023): h query heads share g key/value heads, each group of h/g query
/// heads reading the same keys and values. g = h is multi-head attention (Vaswani et al., 2017); g = 1 is multi-query
/// attention (Shazeer, 2019). Queries keep their full width, but the key and value projections shrink to g·d_k
/// columns — and so does the KV cache a decoder keeps while generating, which is the reason for the design: decoding
/// is limited by reading that cache from memory.
/// </summary>
public sealed class GroupedQueryAttention : nn.Module<Tensor, Tensor, Tensor, Tensor?, (Tensor Output, Tensor Weights)>
{
    readonly Linear queryProjection;
    readonly Linear keyProjection;
    readonly Linear valueProjection;
    readonly Linear outputProjection;
    readonly double attentionDropout;

    /// <param name="width">d_model.</param>
    /// <param name="heads">h, query heads; must divide d_model.</param>
    /// <param name="keyValueHeads">g, key/value heads; must divide h.</param>
    /// <param name="dropout">Dropout on the attention weights while training.</param>
    /// <param name="bias">Biases on the four projections.</param>
    public GroupedQueryAttention(int width, int heads, int keyValueHeads, double dropout = 0.0, bool bias = true) : base(nameof(GroupedQueryAttention))
    {
        if (heads <= 0 || width % heads != 0) throw new ArgumentException($"width {width} is not divisible by {heads} heads.", nameof(heads));
        if (keyValueHeads <= 0 || heads % keyValueHeads != 0)
            throw new ArgumentException($"{heads} query heads cannot be split into groups for {keyValueHeads} key/value heads.", nameof(keyValueHeads));
        Width = width;
        Heads = heads;
        KeyValueHeads = keyValueHeads;
        attentionDropout = dropout;
        queryProjection = nn.Linear(width, width, hasBias: bias);
        keyProjection = nn.Linear(width, keyValueHeads * HeadSize, hasBias: bias);
        valueProjection = nn.Linear(width, keyValueHeads * HeadSize, hasBias: bias);
        outputProjection = nn.Linear(width, width, hasBias: bias);
        RegisterComponents();
    }

    /// <summary>d_model.</summary>
    public int Width { get; }

    /// <summary>h, the number of query heads.</summary>
    public int Heads { get; }

    /// <summary>g, the number of key/value heads; query head i reads key/value head i / (h/g).</summary>
    public int KeyValueHeads { get; }

    /// <summary>d_k = d_model / h.</summary>
    public int HeadSize => Width / Heads;

    /// <summary>W^Q, (d_model, d_model): as in multi-head attention, query head i uses rows i·d_k … (i+1)·d_k − 1.</summary>
    public Linear QueryProjection => queryProjection;

    /// <summary>(g·d_k, d_model): key/value head j uses rows j·d_k … (j+1)·d_k − 1.</summary>
    public Linear KeyProjection => keyProjection;

    /// <summary>(g·d_k, d_model), laid out as <see cref="KeyProjection"/>.</summary>
    public Linear ValueProjection => valueProjection;

    /// <summary>W^O: mixes the h concatenated heads back into the model width.</summary>
    public Linear OutputProjection => outputProjection;

    /// <param name="query">(batch, queries, d_model)</param>
    /// <param name="key">(batch, keys, d_model)</param>
    /// <param name="value">(batch, keys, d_model)</param>
    /// <param name="mask">Boolean, true = may attend, broadcastable to (batch, heads, queries, keys).</param>
    /// <returns>Output (batch, queries, d_model) and each query head's weights (batch, heads, queries, keys).</returns>
    public override (Tensor Output, Tensor Weights) forward(Tensor query, Tensor key, Tensor value, Tensor? mask)
    {
        using var scope = NewDisposeScope();
        long batch = query.shape[0], queries = query.shape[1];
        Tensor SplitHeads(Tensor z, int count) => z.view(batch, z.shape[1], count, HeadSize).transpose(1, 2);
        int groupSize = Heads / KeyValueHeads;
        // (B, g, T, d_k) → (B, h, T, d_k): repeat each key/value head for the h/g query heads of its group. Only the
        // projections (and a cache) are small; the attention itself still runs over h heads.
        Tensor ShareAcrossGroup(Tensor z) => groupSize == 1 ? z : z.repeat_interleave(groupSize, dim: 1);
        var (heads, weights) = ScaledDotProductAttention.Compute(
            SplitHeads(queryProjection.forward(query), Heads),
            ShareAcrossGroup(SplitHeads(keyProjection.forward(key), KeyValueHeads)),
            ShareAcrossGroup(SplitHeads(valueProjection.forward(value), KeyValueHeads)),
            mask,
            dropout: training ? attentionDropout : 0.0);
        var output = outputProjection.forward(heads.transpose(1, 2).reshape(batch, queries, Width));
        return (output.MoveToOuterDisposeScope(), weights.MoveToOuterDisposeScope());
    }
}
