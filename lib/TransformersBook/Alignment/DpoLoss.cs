using static TorchSharp.torch;

namespace TransformersBook.Alignment;

/// <summary>
/// Direct preference optimisation (Rafailov et al., 2023). The policy's implicit reward of an answer y to a prompt x
/// is r(x, y) = β (log π(y | x) − log π_ref(y | x)); putting it into the Bradley–Terry loss gives
/// L = −log σ(r(x, y_w) − r(x, y_l)), which trains the policy on preference pairs with no reward model and no sampling.
/// When the policy is the reference every implicit reward is 0 and L = ln 2.
/// </summary>
public static class DpoLoss
{
    /// <summary>β (log π − log π_ref), the implicit reward of each answer.</summary>
    /// <param name="policyLogProbabilities">(pairs) log π(y | x) summed over the answer's tokens.</param>
    /// <param name="referenceLogProbabilities">(pairs) the same under the frozen reference.</param>
    /// <param name="beta">β &gt; 0, the strength of the implicit KL constraint.</param>
    public static Tensor ImplicitRewards(Tensor policyLogProbabilities, Tensor referenceLogProbabilities, double beta)
    {
        if (beta <= 0) throw new ArgumentOutOfRangeException(nameof(beta), "β must be positive.");
        using var scope = NewDisposeScope();
        return (beta * (policyLogProbabilities - referenceLogProbabilities.detach())).MoveToOuterDisposeScope();
    }

    /// <summary>The DPO loss, mean over pairs of softplus(−(r_w − r_l)) with the implicit rewards r.</summary>
    /// <param name="policyChosen">(pairs) log π(y_w | x).</param>
    /// <param name="policyRejected">(pairs) log π(y_l | x).</param>
    /// <param name="referenceChosen">(pairs) log π_ref(y_w | x); no gradient flows into it.</param>
    /// <param name="referenceRejected">(pairs) log π_ref(y_l | x); no gradient flows into it.</param>
    /// <param name="beta">β &gt; 0.</param>
    /// <returns>A scalar.</returns>
    public static Tensor Loss(Tensor policyChosen, Tensor policyRejected, Tensor referenceChosen, Tensor referenceRejected, double beta)
    {
        using var scope = NewDisposeScope();
        var margin = ImplicitRewards(policyChosen, referenceChosen, beta) - ImplicitRewards(policyRejected, referenceRejected, beta);
        return nn.functional.softplus(-margin).mean().MoveToOuterDisposeScope();
    }
}
