using TorchSharp;
using static TorchSharp.torch;

namespace TransformersBook.Inference;

/// <summary>
/// Top-p (nucleus) filtering (Holtzman et al., 2020): keep the smallest set of most likely tokens whose probabilities
/// sum to at least p, set every other logit to −∞. Unlike top-k the kept set grows when the model is unsure and
/// shrinks when it is confident, cutting the unreliable tail of the distribution either way.
/// </summary>
public static class NucleusFilter
{
    /// <summary>The logits with every token outside the nucleus set to −∞.</summary>
    /// <param name="logits">(…, vocabulary) logits (already divided by any temperature).</param>
    /// <param name="p">The mass to keep, in (0, 1]; 1 keeps every token.</param>
    public static Tensor Apply(Tensor logits, double p)
    {
        if (p is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(p), p, "p must lie in (0, 1].");
        using var scope = NewDisposeScope();
        var (sorted, order) = logits.sort(-1, descending: true);
        var probabilities = nn.functional.softmax(sorted, dim: -1);
        // A token is kept when the mass of the tokens ranked above it is still below p; the first is always kept.
        var massBefore = probabilities.cumsum(-1) - probabilities;
        var dropSorted = massBefore >= p;
        var drop = zeros_like(dropSorted).scatter(-1, order, dropSorted);
        return logits.masked_fill(drop, double.NegativeInfinity).MoveToOuterDisposeScope();
    }
}
