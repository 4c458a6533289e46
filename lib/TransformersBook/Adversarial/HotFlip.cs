using static TorchSharp.torch;

namespace TransformersBook.Adversarial;

/// <summary>
/// HotFlip's first-order estimate (Ebrahimi et al., 2018). Writing the input as one-hot vectors x_t and the embedding
/// layer as e_t = Eᵀx_t, flipping position t from token a to token b changes the loss by approximately
/// ∂L/∂x_{t,b} − ∂L/∂x_{t,a} = (E_b − E_a) · ∂L/∂e_t: one backward pass scores every flip at every position.
/// </summary>
public static class HotFlip
{
    /// <summary>The estimated loss change of every flip: entry (…, t, v) is (E_v − E_{x_t}) · ∂L/∂e_t.</summary>
    /// <param name="embeddingGradient">∂L/∂e, (…, T, d).</param>
    /// <param name="embeddings">The embedding matrix E, (V, d).</param>
    /// <param name="tokens">The current ids x, (…, T).</param>
    /// <returns>(…, T, V); zero where v is the current token.</returns>
    public static Tensor FirstOrderChanges(Tensor embeddingGradient, Tensor embeddings, Tensor tokens)
    {
        ArgumentNullException.ThrowIfNull(embeddingGradient);
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(tokens);
        using var scope = NewDisposeScope();
        var toEvery = embeddingGradient.matmul(embeddings.t());                  // g_t · E_v
        var fromCurrent = toEvery.gather(-1, tokens.unsqueeze(-1));              // g_t · E_{x_t}
        return (toEvery - fromCurrent).MoveToOuterDisposeScope();
    }

    /// <summary>The flip with the largest estimated change per sequence, among allowed positions and tokens.</summary>
    /// <param name="changes">(B, T, V) estimates from <see cref="FirstOrderChanges"/>.</param>
    /// <param name="tokens">(B, T) current ids: keeping a token is no flip.</param>
    /// <param name="flippable">(B, T) booleans: positions that may change.</param>
    /// <param name="allowedTokens">(V) booleans: tokens a position may become.</param>
    /// <returns>Per sequence: the position, the new token and the estimate.</returns>
    public static (long[] Positions, long[] Tokens, double[] Estimates) BestFlips(Tensor changes, Tensor tokens, Tensor flippable, Tensor allowedTokens)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(flippable);
        ArgumentNullException.ThrowIfNull(allowedTokens);
        using var scope = NewDisposeScope();
        long vocabulary = changes.shape[2];
        var current = zeros(changes.shape, ScalarType.Bool, changes.device).scatter_(-1, tokens.unsqueeze(-1), ones(tokens.unsqueeze(-1).shape, ScalarType.Bool, changes.device));
        var allowed = flippable.unsqueeze(-1).logical_and(allowedTokens.view(1, 1, vocabulary)).logical_and(current.logical_not());
        var masked = changes.to_type(ScalarType.Float64).masked_fill(allowed.logical_not(), double.NegativeInfinity);
        var (best, index) = masked.flatten(1).max(1);
        var flat = index.cpu().data<long>().ToArray();
        return (flat.Select(i => i / vocabulary).ToArray(), flat.Select(i => i % vocabulary).ToArray(),
            best.cpu().data<double>().ToArray());
    }
}
