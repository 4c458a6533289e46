using static TorchSharp.torch;

namespace TransformersBook.Alignment;

/// <summary>
/// The Bradley–Terry model of pairwise preferences (Bradley and Terry, 1952), as reward models use it (Christiano et
/// al., 2017; Ouyang et al., 2022): answer A is preferred to answer B with probability σ(r_A − r_B), so a reward
/// model r is fitted to labelled pairs by minimising −log σ(r_chosen − r_rejected).
/// </summary>
public static class BradleyTerry
{
    /// <summary>P(A ≻ B) = σ(scale · (r_A − r_B)) = 1 / (1 + exp(−scale · (r_A − r_B))).</summary>
    /// <param name="rewardA">r_A.</param>
    /// <param name="rewardB">r_B.</param>
    /// <param name="scale">How sharply the reward difference decides the preference; large is nearly noiseless.</param>
    public static double PreferenceProbability(double rewardA, double rewardB, double scale = 1.0) =>
        1.0 / (1.0 + Math.Exp(-scale * (rewardA - rewardB)));

    /// <summary>
    /// The negative log-likelihood of the labels, mean over pairs of −log σ(r_chosen − r_rejected), computed as
    /// softplus(−(r_chosen − r_rejected)) so that large margins neither overflow nor lose precision.
    /// </summary>
    /// <param name="chosenRewards">(pairs) r of the preferred answers.</param>
    /// <param name="rejectedRewards">(pairs) r of the other answers.</param>
    /// <returns>A scalar.</returns>
    public static Tensor Loss(Tensor chosenRewards, Tensor rejectedRewards)
    {
        using var scope = NewDisposeScope();
        return nn.functional.softplus(rejectedRewards - chosenRewards).mean().MoveToOuterDisposeScope();
    }
}
