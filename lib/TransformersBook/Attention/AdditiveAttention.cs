using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TransformersBook.Attention;

/// <summary>
/// Additive attention of Bahdanau, Cho and Bengio (2015): score(q, k) = vᵀ tanh(W_q q + W_k k), a one-hidden-layer
/// network that compares a query and a key of possibly different sizes. It has hidden·(query size + key size + 1)
/// parameters and, unlike a dot product, builds a (queries × keys × hidden) tensor, which is why it is slower.
/// Without a bias the score is odd in (q, k) taken together, score(−q, −k) = −score(q, k), because tanh is odd: it then
/// has no term that is even in q and in k (no qᵀWk), and on data symmetric about zero it cannot learn to match a query
/// to its key (the attention-for-beginners chapter measures this). <c>bias: true</c> adds one offset b inside the tanh,
/// vᵀ tanh(W_q q + W_k k + b), which breaks the symmetry.
/// </summary>
public sealed class AdditiveAttention : AttentionScore
{
    readonly Linear queryProjection;
    readonly Linear keyProjection;
    readonly Linear scoreVector;

    /// <param name="querySize">Size of each query.</param>
    /// <param name="keySize">Size of each key.</param>
    /// <param name="hidden">Width of the scoring network's hidden layer.</param>
    /// <param name="bias">Whether W_q q + W_k k gets an offset b before the tanh (the paper has none).</param>
    public AdditiveAttention(int querySize, int keySize, int hidden, bool bias = false) : base(nameof(AdditiveAttention))
    {
        // The paper's form has no biases. One bias inside the tanh is enough (on W_q; a second on W_k would add to it),
        // and one on v would shift every score of a row equally, which the softmax ignores.
        queryProjection = nn.Linear(querySize, hidden, hasBias: bias);
        keyProjection = nn.Linear(keySize, hidden, hasBias: false);
        scoreVector = nn.Linear(hidden, 1, hasBias: false);
        RegisterComponents();
    }

    /// <summary>W_q, (hidden, query size).</summary>
    public Linear QueryProjection => queryProjection;

    /// <summary>W_k, (hidden, key size).</summary>
    public Linear KeyProjection => keyProjection;

    /// <summary>vᵀ, (1, hidden).</summary>
    public Linear ScoreVector => scoreVector;

    /// <param name="queries">(batch, queries, query size)</param>
    /// <param name="keys">(batch, keys, key size)</param>
    /// <returns>Scores (batch, queries, keys).</returns>
    public override Tensor forward(Tensor queries, Tensor keys)
    {
        using var scope = NewDisposeScope();
        // (B, Q, 1, h) + (B, 1, K, h) → (B, Q, K, h): every query meets every key.
        var features = tanh(queryProjection.forward(queries).unsqueeze(2) + keyProjection.forward(keys).unsqueeze(1));
        return scoreVector.forward(features).squeeze(-1).MoveToOuterDisposeScope();
    }
}
