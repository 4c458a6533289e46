using TorchSharp;
using static TorchSharp.torch;

namespace TransformersBook.Attention;

/// <summary>
/// A way of scoring how well each query matches each key; attention is then a softmax over the scores and a weighted
/// average of the values. Subclasses differ only in the score: additive (Bahdanau et al., 2015), dot product, or
/// general (Luong et al., 2015).
/// </summary>
public abstract class AttentionScore : nn.Module<Tensor, Tensor, Tensor>
{
    protected AttentionScore(string name) : base(name) { }

    /// <summary>Learned parameters the score uses, counted from the module.</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <summary>Softmax over the keys of the scores, then the weighted average of the values.</summary>
    /// <param name="queries">(batch, queries, query size)</param>
    /// <param name="keys">(batch, keys, key size)</param>
    /// <param name="values">(batch, keys, value size)</param>
    /// <param name="keep">Boolean, broadcastable to (batch, queries, keys): true where the key may be attended to (e.g.
    /// not padding).</param>
    /// <returns>Output (batch, queries, value size) and weights (batch, queries, keys).</returns>
    public (Tensor Output, Tensor Weights) Attend(Tensor queries, Tensor keys, Tensor values, Tensor? keep = null)
    {
        using var scope = NewDisposeScope();
        var weights = MaskedSoftmax.Softmax(forward(queries, keys), keep);
        var output = matmul(weights, values);
        return (output.MoveToOuterDisposeScope(), weights.MoveToOuterDisposeScope());
    }
}
