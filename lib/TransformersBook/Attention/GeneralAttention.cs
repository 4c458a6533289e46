using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TransformersBook.Attention;

/// <summary>
/// The "general" score of Luong, Pham and Manning (2015): score(q, k) = qᵀ W k, a learned bilinear form with
/// query size · key size parameters. With W = I it is the dot product; W lets queries and keys differ in size.
/// </summary>
public sealed class GeneralAttention : AttentionScore
{
    readonly Linear keyProjection;

    public GeneralAttention(int querySize, int keySize) : base(nameof(GeneralAttention))
    {
        // W k for every key, computed once, then one matrix product with the queries: (B, Q, dq) · (B, dq, K).
        keyProjection = nn.Linear(keySize, querySize, hasBias: false);
        RegisterComponents();
    }

    /// <summary>W, stored as the weight (query size, key size) of a linear layer applied to the keys.</summary>
    public Linear Bilinear => keyProjection;

    /// <param name="queries">(batch, queries, query size)</param>
    /// <param name="keys">(batch, keys, key size)</param>
    /// <returns>Scores (batch, queries, keys).</returns>
    public override Tensor forward(Tensor queries, Tensor keys)
    {
        using var scope = NewDisposeScope();
        return matmul(queries, keyProjection.forward(keys).transpose(-2, -1)).MoveToOuterDisposeScope();
    }
}
