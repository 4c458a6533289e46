namespace TransformersBook.Blocks;

/// <summary>
/// What a <see cref="MixtureOfExperts"/> layer did with one batch, as plain numbers (no tensors, so it outlives the
/// dispose scope of the step that made it): how the tokens were spread over the experts and how many were dropped.
/// </summary>
/// <param name="Experts">E, the number of experts.</param>
/// <param name="TopK">k, the experts each token is sent to.</param>
/// <param name="Tokens">N, the tokens routed (batch × time).</param>
/// <param name="Capacity">C, the most assignments one expert accepts in this batch (N·k when there is no limit).</param>
/// <param name="TokenFraction">
/// f_i: the share of the N·k assignments the router sent to expert i, counted before the capacity limit (Switch
/// Transformer, Fedus et al., 2022); sums to 1.
/// </param>
/// <param name="MeanProbability">P_i: the router probability of expert i averaged over the tokens; sums to 1.</param>
/// <param name="BalanceLoss">The auxiliary load-balancing loss E·Σ f_i·P_i (1 when either f or P is uniform).</param>
/// <param name="DroppedAssignments">Assignments over an expert's capacity: the token skips that expert.</param>
public sealed record ExpertRouting(int Experts, int TopK, int Tokens, int Capacity, IReadOnlyList<double> TokenFraction,
    IReadOnlyList<double> MeanProbability, double BalanceLoss, int DroppedAssignments)
{
    /// <summary>The share of the N·k assignments that were dropped because their expert was full.</summary>
    public double DroppedFraction => Tokens == 0 ? 0 : (double)DroppedAssignments / ((long)Tokens * TopK);

    /// <summary>The largest f_i: 1/E when the load is perfectly even, 1 when one expert gets every token.</summary>
    public double MaxTokenFraction => TokenFraction.Max();

    /// <summary>The entropy of f in nats: ln E for an even load, 0 when one expert gets every token.</summary>
    public double TokenFractionEntropy => -TokenFraction.Where(f => f > 0).Sum(f => f * Math.Log(f));
}
