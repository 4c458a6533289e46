using static TorchSharp.torch;

namespace TransformersBook.Alignment;

/// <summary>
/// Generalised advantage estimation (Schulman et al., 2016): with the temporal-difference errors
/// δ_t = r_t + γ V(s_{t+1}) − V(s_t), the advantage is Â_t = Σ_k (γλ)^k δ_{t+k}, computed backwards as
/// Â_t = δ_t + γλ Â_{t+1}. Episodes end after the last step (V after it is 0), as a completion ends after its last token.
/// The value targets ("returns") are Â_t + V(s_t).
/// </summary>
public static class GeneralizedAdvantageEstimation
{
    /// <summary>Advantages and value targets of one episode, in plain numbers (a Tensor overload would be ambiguous: TorchSharp converts arrays to tensors).</summary>
    /// <param name="rewards">r_0 … r_{T−1}.</param>
    /// <param name="values">V(s_0) … V(s_{T−1}).</param>
    /// <param name="gamma">γ, the discount.</param>
    /// <param name="lambda">λ: 0 gives the one-step TD error, 1 the Monte-Carlo return minus V.</param>
    public static (double[] Advantages, double[] Returns) ComputeEpisode(IReadOnlyList<double> rewards, IReadOnlyList<double> values, double gamma, double lambda)
    {
        ArgumentNullException.ThrowIfNull(rewards);
        ArgumentNullException.ThrowIfNull(values);
        if (rewards.Count != values.Count) throw new ArgumentException("one value per reward.", nameof(values));
        int steps = rewards.Count;
        var advantages = new double[steps];
        double next = 0, nextValue = 0;
        for (int t = steps - 1; t >= 0; t--)
        {
            double delta = rewards[t] + gamma * nextValue - values[t];
            next = delta + gamma * lambda * next;
            advantages[t] = next;
            nextValue = values[t];
        }
        return (advantages, advantages.Select((a, t) => a + values[t]).ToArray());
    }

    /// <summary>The same for a batch of episodes of equal length, as tensors.</summary>
    /// <param name="rewards">(batch, steps)</param>
    /// <param name="values">(batch, steps); no gradient flows through the result.</param>
    /// <param name="gamma">γ.</param>
    /// <param name="lambda">λ.</param>
    /// <returns>Advantages and returns, both (batch, steps).</returns>
    public static (Tensor Advantages, Tensor Returns) Compute(Tensor rewards, Tensor values, double gamma, double lambda)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long steps = rewards.shape[1];
        var columns = new Tensor[steps];
        var next = zeros_like(rewards.select(1, 0));
        var nextValue = zeros_like(next);
        for (long t = steps - 1; t >= 0; t--)
        {
            var value = values.select(1, t);
            var delta = rewards.select(1, t) + gamma * nextValue - value;
            next = delta + gamma * lambda * next;
            columns[t] = next;
            nextValue = value;
        }
        var advantages = stack(columns, dim: 1);
        var returns = advantages + values;
        return (advantages.MoveToOuterDisposeScope(), returns.MoveToOuterDisposeScope());
    }
}
