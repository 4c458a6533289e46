using TorchSharp;
using static TorchSharp.torch;

namespace TransformersBook.Models;

/// <summary>
/// SASRec's training objectives on a batch of left-padded sequences, where the target at position t is the item at
/// t + 1: the binary cross-entropy with one sampled negative per position of Kang and McAuley (2018), or the full
/// softmax cross-entropy over every item.
/// </summary>
public static class SasRecLosses
{
    /// <summary>
    /// −[log σ(r⁺) + log σ(−r⁻)] averaged over the positions whose target is not padding, where r⁺ and r⁻ are the
    /// scores of the true next item and of one sampled negative.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="inputs">(batch, time) item ids, 0 for padding.</param>
    /// <param name="positives">(batch, time) the next item at every position, 0 where there is none.</param>
    /// <param name="negatives">(batch, time) one item per position the user did not interact with.</param>
    public static Tensor BinaryCrossEntropy(SasRec model, Tensor inputs, Tensor positives, Tensor negatives)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var scope = NewDisposeScope();
        var states = model.forward(inputs);
        var positiveScores = model.ScoreItems(states, positives);
        var negativeScores = model.ScoreItems(states, negatives);
        var keep = positives.ne(0).to_type(ScalarType.Float32);
        var perPosition = -(nn.functional.logsigmoid(positiveScores) + nn.functional.logsigmoid(-negativeScores));
        return ((perPosition * keep).sum() / keep.sum()).MoveToOuterDisposeScope();
    }

    /// <summary>The cross-entropy of the next item under a softmax over all items, averaged over real targets.</summary>
    /// <param name="model">The model.</param>
    /// <param name="inputs">(batch, time) item ids, 0 for padding.</param>
    /// <param name="positives">(batch, time) the next item at every position, 0 where there is none.</param>
    public static Tensor SoftmaxCrossEntropy(SasRec model, Tensor inputs, Tensor positives)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var scope = NewDisposeScope();
        var logits = model.ScoreAllItems(model.forward(inputs));
        return nn.functional.cross_entropy(logits.reshape(-1, logits.shape[^1]), positives.reshape(-1), ignore_index: 0)
            .MoveToOuterDisposeScope();
    }
}
