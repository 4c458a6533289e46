using TorchSharp;
using TransformersBook.Training;
using static TorchSharp.torch;

namespace TransformersBook.Instructions;

/// <summary>
/// The cross-entropy of instruction tuning, counted only where a mask is 1 and averaged over those positions:
/// L = Σ_i m_i · (−log p(y_i | x_≤i)) / Σ_i m_i. With the mask on the response tokens, the prompt's tokens cost nothing
/// and send no gradient; with the mask on every real token it is ordinary language-model training on the whole exchange.
/// </summary>
public static class ResponseMaskedLoss
{
    /// <summary>The masked mean negative log-likelihood.</summary>
    /// <param name="logits">(batch, time, vocabulary) scores.</param>
    /// <param name="targets">(batch, time) next-token ids.</param>
    /// <param name="mask">(batch, time) weights, 1 where the loss counts and 0 elsewhere; must not be all zero.</param>
    public static Tensor Compute(Tensor logits, Tensor targets, Tensor mask)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(mask);
        using var scope = NewDisposeScope();
        var negativeLogLikelihood = -Losses.TokenLogProbability(logits, targets);
        var weights = mask.to_type(negativeLogLikelihood.dtype);
        return ((negativeLogLikelihood * weights).sum() / weights.sum()).MoveToOuterDisposeScope();
    }

    /// <summary>The loss of a model's logits on a batch: <see cref="Compute(Tensor, Tensor, Tensor)"/> with the batch's targets and mask.</summary>
    public static Tensor Compute(Tensor logits, InstructionBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return Compute(logits, batch.Target, batch.LossMask);
    }
}
