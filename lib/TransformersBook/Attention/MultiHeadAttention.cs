using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TransformersBook.Attention;

/// <summary>
/// Multi-head attention of Vaswani et al. (2017): MultiHead(Q, K, V) = Concat(head₁, …, head_h) W^O with
/// headᵢ = Attention(Q W_i^Q, K W_i^K, V W_i^V). Each head attends in its own d_model/h-dimensional subspace, so the
/// heads can look for different things at the cost of one full-width attention. The four d_model × d_model projections
/// with biases make 4d² + 4d parameters. The same module does self-attention (query = key = value) and the decoder's
/// cross-attention (keys and values from the encoder).
/// </summary>
public sealed class MultiHeadAttention : nn.Module<Tensor, Tensor, Tensor, Tensor?, (Tensor Output, Tensor Weights)>
{
    readonly Linear queryProjection;
    readonly Linear keyProjection;
    readonly Linear valueProjection;
    readonly Linear outputProjection;
    readonly double attentionDropout;

    /// <param name="width">d_model.</param>
    /// <param name="heads">h; must divide d_model.</param>
    /// <param name="dropout">Dropout on the attention weights while training.</param>
    /// <param name="bias">Biases on the four projections.</param>
    public MultiHeadAttention(int width, int heads, double dropout = 0.0, bool bias = true) : base(nameof(MultiHeadAttention))
    {
        if (heads <= 0 || width % heads != 0) throw new ArgumentException($"width {width} is not divisible by {heads} heads.", nameof(heads));
        Width = width;
        Heads = heads;
        attentionDropout = dropout;
        queryProjection = nn.Linear(width, width, hasBias: bias);
        keyProjection = nn.Linear(width, width, hasBias: bias);
        valueProjection = nn.Linear(width, width, hasBias: bias);
        outputProjection = nn.Linear(width, width, hasBias: bias);
        RegisterComponents();
    }

    /// <summary>d_model.</summary>
    public int Width { get; }

    /// <summary>h.</summary>
    public int Heads { get; }

    /// <summary>d_k = d_v = d_model / h.</summary>
    public int HeadSize => Width / Heads;

    /// <summary>W^Q for all heads: head i uses rows i·d_k … (i+1)·d_k − 1 of the weight.</summary>
    public Linear QueryProjection => queryProjection;

    /// <summary>W^K for all heads, laid out as <see cref="QueryProjection"/>.</summary>
    public Linear KeyProjection => keyProjection;

    /// <summary>W^V for all heads, laid out as <see cref="QueryProjection"/>.</summary>
    public Linear ValueProjection => valueProjection;

    /// <summary>W^O: mixes the concatenated heads back into the model width.</summary>
    public Linear OutputProjection => outputProjection;

    /// <param name="query">(batch, queries, d_model)</param>
    /// <param name="key">(batch, keys, d_model)</param>
    /// <param name="value">(batch, keys, d_model)</param>
    /// <param name="mask">Boolean, true = may attend, broadcastable to (batch, heads, queries, keys): a (queries, keys)
    /// causal mask, a (batch, 1, 1, keys) padding mask (<see cref="AttentionMasks.ForKeys"/>), or both combined.</param>
    /// <returns>Output (batch, queries, d_model) and each head's weights (batch, heads, queries, keys).</returns>
    public override (Tensor Output, Tensor Weights) forward(Tensor query, Tensor key, Tensor value, Tensor? mask)
    {
        using var scope = NewDisposeScope();
        long batch = query.shape[0], queries = query.shape[1];
        // (B, T, d_model) → (B, h, T, d_k): the heads become a batch dimension, so one matmul serves them all.
        Tensor SplitHeads(Tensor z) => z.view(batch, z.shape[1], Heads, HeadSize).transpose(1, 2);
        var (heads, weights) = ScaledDotProductAttention.Compute(
            SplitHeads(queryProjection.forward(query)),
            SplitHeads(keyProjection.forward(key)),
            SplitHeads(valueProjection.forward(value)),
            mask,
            dropout: training ? attentionDropout : 0.0);
        var concatenated = heads.transpose(1, 2).reshape(batch, queries, Width);
        var output = outputProjection.forward(concatenated);
        return (output.MoveToOuterDisposeScope(), weights.MoveToOuterDisposeScope());
    }
}
