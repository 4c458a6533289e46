using static TorchSharp.torch;

namespace TransformersBook.Alignment;

/// <summary>
/// PPO's clipped surrogate objective (Schulman et al., 2017). With the probability ratio ρ = π_θ(a|s) / π_old(a|s)
/// and the advantage Â, the objective is min(ρ Â, clip(ρ, 1 − ε, 1 + ε) Â): once ρ has left [1 − ε, 1 + ε] in the
/// direction the advantage rewards, the clipped term is a constant and the gradient is zero, so one batch of
/// samples cannot push the policy far. The loss is its negative mean.
/// </summary>
public static class ClippedSurrogate
{
    /// <summary>−mean(min(ρ Â, clip(ρ, 1 − ε, 1 + ε) Â)) over the positions the mask keeps.</summary>
    /// <param name="logProbabilities">log π_θ of the taken actions (with gradient).</param>
    /// <param name="oldLogProbabilities">log π_old of the same actions, from when they were sampled (no gradient).</param>
    /// <param name="advantages">Â, the same shape (no gradient).</param>
    /// <param name="clipRange">ε, typically 0.2.</param>
    /// <param name="mask">1 where a position counts, or null for all.</param>
    /// <returns>A scalar.</returns>
    public static Tensor Loss(Tensor logProbabilities, Tensor oldLogProbabilities, Tensor advantages, double clipRange, Tensor? mask = null)
    {
        if (clipRange <= 0) throw new ArgumentOutOfRangeException(nameof(clipRange), "ε must be positive.");
        using var scope = NewDisposeScope();
        var ratio = (logProbabilities - oldLogProbabilities.detach()).exp();
        var a = advantages.detach();
        var objective = minimum(ratio * a, ratio.clamp(1 - clipRange, 1 + clipRange) * a);
        var loss = mask is null ? -objective.mean() : -(objective * mask).sum() / mask.sum().clamp_min(1);
        return loss.MoveToOuterDisposeScope();
    }

    /// <summary>The fraction of positions whose ratio lies outside [1 − ε, 1 + ε], a diagnostic PPO runs report.</summary>
    /// <param name="logProbabilities">log π_θ.</param>
    /// <param name="oldLogProbabilities">log π_old.</param>
    /// <param name="clipRange">ε.</param>
    public static double ClippedFraction(Tensor logProbabilities, Tensor oldLogProbabilities, double clipRange)
    {
        using var scope = NewDisposeScope();
        var ratio = (logProbabilities - oldLogProbabilities).exp();
        return ((ratio - 1).abs() > clipRange).to_type(ScalarType.Float32).mean().item<float>();
    }
}
