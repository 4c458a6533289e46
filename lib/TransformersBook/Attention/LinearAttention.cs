using static TorchSharp.torch;

namespace TransformersBook.Attention;

/// <summary>
/// Linear (kernel) attention of Katharopoulos et al. (2020), "Transformers are RNNs": the softmax similarity
/// exp(q·k) is replaced by φ(q)·φ(k) with the positive feature map φ(x) = elu(x) + 1. Then
/// Oᵢ = φ(qᵢ)ᵀ Σⱼ φ(kⱼ) vⱼᵀ / φ(qᵢ)ᵀ Σⱼ φ(kⱼ), and by associativity φ(Q)(φ(K)ᵀV) costs O(n·d²) instead of the O(n²·d)
/// of forming φ(Q)φ(K)ᵀ first. This is the non-causal form (every query sees every key).
/// </summary>
public static class LinearAttention
{
    /// <summary>φ(x) = elu(x) + 1 > 0, so every similarity and every normaliser is positive.</summary>
    public static Tensor FeatureMap(Tensor x) => nn.functional.elu(x, alpha: 1.0) + 1;

    /// <summary>The quadratic form: A = φ(Q)φ(K)ᵀ normalised by its row sums, then AV. Materialises (…, n, n).</summary>
    public static Tensor Quadratic(Tensor query, Tensor key, Tensor value)
    {
        using var scope = NewDisposeScope();
        var similarity = FeatureMap(query).matmul(FeatureMap(key).transpose(-2, -1));
        var weights = similarity / similarity.sum(-1, keepdim: true);
        return weights.matmul(value).MoveToOuterDisposeScope();
    }

    /// <summary>The linear form: φ(Q)(φ(K)ᵀV) / φ(Q)(φ(K)ᵀ1). Its largest intermediate is the (…, d, d_v) summary.</summary>
    /// <param name="query">(…, n, d)</param>
    /// <param name="key">(…, m, d)</param>
    /// <param name="value">(…, m, d_v)</param>
    /// <returns>(…, n, d_v)</returns>
    public static Tensor Compute(Tensor query, Tensor key, Tensor value)
    {
        using var scope = NewDisposeScope();
        var phiQ = FeatureMap(query);
        var phiK = FeatureMap(key);
        var summary = phiK.transpose(-2, -1).matmul(value);               // (…, d, d_v): Σⱼ φ(kⱼ) vⱼᵀ
        var normaliser = phiQ.matmul(phiK.sum(-2).unsqueeze(-1));        // (…, n, 1): φ(qᵢ)·Σⱼ φ(kⱼ)
        return (phiQ.matmul(summary) / normaliser).MoveToOuterDisposeScope();
    }
}
