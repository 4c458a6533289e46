using static TorchSharp.torch;

namespace TransformersBook.Interpretability;

/// <summary>
/// Gradient × input saliency (Simonyan et al., 2014; Shrikumar et al., 2017) for an <see cref="AttentionOnlyTransformer"/>:
/// for one query position per sequence, the gradient of a chosen logit with respect to the input embedding x₀,
/// multiplied by x₀ and summed over the width, in absolute value — one number per input position. Unlike attention
/// weights, it accounts for the values and the later layers that attention alone does not show.
/// </summary>
public static class GradientSaliency
{
    /// <summary>(batch, time) saliency of each input position for logit[b, positions[b], targets[b]].</summary>
    /// <param name="model">The model.</param>
    /// <param name="tokens">(batch, time) ids.</param>
    /// <param name="positions">One query position per sequence.</param>
    /// <param name="targets">One output token per sequence whose logit is explained.</param>
    public static Tensor Compute(AttentionOnlyTransformer model, Tensor tokens, long[] positions, long[] targets)
    {
        long batch = tokens.shape[0];
        if (positions.Length != batch || targets.Length != batch) throw new ArgumentException("give one position and one target per sequence.");
        using var scope = NewDisposeScope();
        var embedding = model.Embed(tokens).detach().requires_grad_(true);
        var logits = model.RunFromEmbedding(embedding).Logits;                             // (B, T, V)
        var rows = arange(batch, device: logits.device);
        var chosen = logits.index(new[] { TensorIndex.Tensor(rows), TensorIndex.Tensor(tensor(positions, device: logits.device)),
            TensorIndex.Tensor(tensor(targets, device: logits.device)) });
        // Each sequence's logit depends only on its own inputs, so one backward pass of the sum gives every row's gradient.
        var gradient = autograd.grad(new[] { chosen.sum() }, new[] { embedding })[0];
        return (gradient * embedding).sum(dim: -1).abs().detach().MoveToOuterDisposeScope();
    }
}
