using TorchSharp;
using static TorchSharp.torch;

namespace TransformersBook.Attention;

/// <summary>
/// Attention pooling before neural networks: Nadaraya–Watson kernel regression (Nadaraya, 1964; Watson, 1964).
/// The prediction at x is a weighted average of observed values yᵢ, with weights from a kernel of the distance between
/// x (the query) and xᵢ (the keys). With a Gaussian kernel the weights are exactly softmax(−(x − xᵢ)² / 2σ²):
/// attention whose score is a negative squared distance.
/// </summary>
public static class AttentionPooling
{
    /// <summary>Nadaraya–Watson predictions with a Gaussian kernel of width <paramref name="bandwidth"/> (σ).</summary>
    /// <param name="queries">(queries) the points to predict at.</param>
    /// <param name="keys">(keys) the observed inputs xᵢ.</param>
    /// <param name="values">(keys) the observed outputs yᵢ.</param>
    /// <param name="bandwidth">σ: small follows the nearest observations, large averages everything.</param>
    /// <returns>Predictions (queries) and weights (queries, keys), each row summing to 1.</returns>
    public static (Tensor Predictions, Tensor Weights) NadarayaWatson(Tensor queries, Tensor keys, Tensor values, double bandwidth)
    {
        if (bandwidth <= 0) throw new ArgumentOutOfRangeException(nameof(bandwidth), "the kernel's bandwidth must be positive.");
        using var scope = NewDisposeScope();
        var distances = queries.unsqueeze(1) - keys.unsqueeze(0);
        // The Gaussian's normalising constant cancels in the ratio, so the weights are a softmax of the exponent.
        var weights = MaskedSoftmax.Softmax(-distances.square() / (2 * bandwidth * bandwidth));
        var predictions = matmul(weights, values);
        return (predictions.MoveToOuterDisposeScope(), weights.MoveToOuterDisposeScope());
    }
}
