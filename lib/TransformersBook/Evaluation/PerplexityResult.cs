namespace TransformersBook.Evaluation;

/// <summary>The result of scoring a token sequence with a causal language model.</summary>
/// <param name="TotalNegativeLogLikelihood">Σ −log p(xⱼ | context), in nats, over the scored tokens.</param>
/// <param name="ScoredTokens">How many tokens were scored (every token after the first, once).</param>
/// <param name="Windows">How many forward passes of the window length it took.</param>
/// <param name="MeanContext">The average number of tokens each scored token saw before it.</param>
public sealed record PerplexityResult(double TotalNegativeLogLikelihood, long ScoredTokens, int Windows, double MeanContext)
{
    /// <summary>Cross-entropy in nats per token.</summary>
    public double NegativeLogLikelihoodPerToken => TotalNegativeLogLikelihood / ScoredTokens;

    /// <summary>exp(mean negative log-likelihood).</summary>
    public double Perplexity => Math.Exp(NegativeLogLikelihoodPerToken);
}
