using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TransformersBook.Attention;

/// <summary>
/// Additive attention of Bahdanau, Cho and Bengio (2015): score(q, k) = vᵀ tanh(W_q q + W_k k), a one-hidden-layer
/// network that compares a query and a key of possibly different sizes. It has hidden·(query size + key size + 1)
/// parameters and, unlike a dot product, builds a (queries × keys × hidden) tensor, which is why it is slower.
/// </summary>
public sealed class AdditiveAttention : AttentionScore
{
    readonly Linear queryProjection;
    readonly Linear keyProjection;
    readonly Linear scoreVector;

    public AdditiveAttention(int querySize, int keySize, int hidden) : base(nameof(AdditiveAttention))
    {
        // No biases, as in the paper: a bias in W_q q + W_k k would be one shared offset, and one on v shifts every score
        // of a row equally, which the softmax ignores.
        queryProjection = nn.Linear(querySize, hidden, hasBias: false);
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
