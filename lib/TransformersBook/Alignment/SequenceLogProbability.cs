using TransformersBook.Training;
using static TorchSharp.torch;

namespace TransformersBook.Alignment;

/// <summary>
/// Log-probabilities of given tokens under a language model's logits, per token and summed over an answer: the
/// quantity DPO, PPO and the KL estimators all start from.
/// </summary>
public static class SequenceLogProbability
{
    /// <summary>log softmax(logits)[token] at every position.</summary>
    /// <param name="logits">(batch, time, vocabulary) the logits that predict <paramref name="tokens"/>.</param>
    /// <param name="tokens">(batch, time) int64 ids of the tokens that were produced.</param>
    /// <returns>(batch, time)</returns>
    public static Tensor PerToken(Tensor logits, Tensor tokens)
        => Losses.TokenLogProbability(logits, tokens);

    /// <summary>Σ_t mask_t · log p(token_t): the log-probability of each answer, prompt positions masked out.</summary>
    /// <param name="logits">(batch, time, vocabulary)</param>
    /// <param name="tokens">(batch, time) int64.</param>
    /// <param name="mask">(batch, time), 1 on the answer's tokens and 0 elsewhere, or null to sum every position.</param>
    /// <returns>(batch)</returns>
    public static Tensor Sum(Tensor logits, Tensor tokens, Tensor? mask = null)
    {
        using var scope = NewDisposeScope();
        var perToken = PerToken(logits, tokens);
        if (mask is not null) perToken = perToken * mask.to_type(perToken.dtype);
        return perToken.sum(dim: 1).MoveToOuterDisposeScope();
    }
}
