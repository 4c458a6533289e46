using static TorchSharp.torch;

namespace TransformersBook.Alignment;

/// <summary>
/// Estimates of KL(π ‖ π_ref) from tokens sampled from π, as RLHF measures how far the tuned policy has moved
/// (Schulman, 2020, "Approximating KL divergence"). With the log-ratio ℓ = log π(y) − log π_ref(y) of a sample y ~ π:
/// k1 = ℓ is unbiased but can be negative for one sample; k3 = (e^{−ℓ} − 1) + ℓ is unbiased and never negative.
/// <see cref="Exact"/> sums over the whole vocabulary at each visited context instead, which has no sampling noise
/// from the last token.
/// </summary>
public static class KlEstimators
{
    /// <summary>k1 = log π − log π_ref, elementwise.</summary>
    /// <param name="policyLogProbabilities">log π of the sampled tokens.</param>
    /// <param name="referenceLogProbabilities">log π_ref of the same tokens.</param>
    public static Tensor K1(Tensor policyLogProbabilities, Tensor referenceLogProbabilities) =>
        policyLogProbabilities - referenceLogProbabilities;

    /// <summary>k3 = (π_ref/π − 1) − log(π_ref/π), elementwise; ≥ 0 for every sample.</summary>
    /// <param name="policyLogProbabilities">log π of the sampled tokens.</param>
    /// <param name="referenceLogProbabilities">log π_ref of the same tokens.</param>
    public static Tensor K3(Tensor policyLogProbabilities, Tensor referenceLogProbabilities)
    {
        using var scope = NewDisposeScope();
        var logRatio = referenceLogProbabilities - policyLogProbabilities;
        return (logRatio.exp() - 1 - logRatio).MoveToOuterDisposeScope();
    }

    /// <summary>Σ_v π(v) (log π(v) − log π_ref(v)) over the vocabulary, at every position.</summary>
    /// <param name="policyLogits">(..., vocabulary)</param>
    /// <param name="referenceLogits">(..., vocabulary), the same leading shape.</param>
    /// <returns>(...), the KL of the next-token distributions at each position.</returns>
    public static Tensor Exact(Tensor policyLogits, Tensor referenceLogits)
    {
        using var scope = NewDisposeScope();
        var logP = policyLogits.log_softmax(-1);
        var logQ = referenceLogits.log_softmax(-1);
        return (logP.exp() * (logP - logQ)).sum(dim: -1).MoveToOuterDisposeScope();
    }
}
