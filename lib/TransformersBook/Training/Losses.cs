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
}
