using TorchSharp;

namespace TransformersBook.Training;

/// <summary>Loss functions shaped for the book's models.</summary>
public static class Losses
{
    /// <summary>
    /// Cross-entropy over every position of a sequence: logits of shape (..., vocabulary) against class indices of shape
    /// (...), flattened to (N, vocabulary) and (N) as PyTorch's cross_entropy expects. The mean negative log-likelihood
    /// per token, whose exponential is the perplexity.
    /// </summary>
    /// <param name="logits">Scores, e.g. (batch, time, vocabulary).</param>
    /// <param name="targets">Indices, e.g. (batch, time), int64.</param>
    /// <remarks>Two parameters, so it can be passed as the criterion: <c>trainer.Fit(batches, Losses.TokenCrossEntropy)</c>.</remarks>
    public static torch.Tensor TokenCrossEntropy(torch.Tensor logits, torch.Tensor targets) => TokenCrossEntropy(logits, targets, ignoreIndex: -100);

    /// <summary>Token cross-entropy in which targets equal to <paramref name="ignoreIndex"/> (padding) do not count.</summary>
    public static torch.Tensor TokenCrossEntropy(torch.Tensor logits, torch.Tensor targets, long ignoreIndex)
    {
        long vocabulary = logits.shape[^1];
        return torch.nn.functional.cross_entropy(logits.reshape(-1, vocabulary), targets.reshape(-1), ignore_index: ignoreIndex);
    }

    /// <summary>
    /// log softmax(logits)[token] along the last axis: the log-probability a model gives each token that was produced.
    /// Negated, it is the per-token cross-entropy; summed under a mask, a sequence's log-likelihood.
    /// </summary>
    /// <param name="logits">Scores of shape (..., vocabulary).</param>
    /// <param name="tokens">Int64 indices of shape (...), the same leading shape as <paramref name="logits"/>.</param>
    /// <returns>Shape (...).</returns>
    public static torch.Tensor TokenLogProbability(torch.Tensor logits, torch.Tensor tokens)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(tokens);
        using var scope = torch.NewDisposeScope();
        return logits.log_softmax(-1).gather(-1, tokens.unsqueeze(-1)).squeeze(-1).MoveToOuterDisposeScope();
    }
}
