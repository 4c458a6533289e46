using TorchSharp;
using static TorchSharp.torch;

namespace TransformersBook.Inference;

/// <summary>
/// CTRL's repetition penalty (Keskar et al., 2019): the logit of every token already in the sequence is divided by
/// θ &gt; 1 when positive and multiplied by θ when negative, so a repeated token always becomes less likely.
/// </summary>
public static class RepetitionPenalty
{
    /// <summary>The penalised logits.</summary>
    /// <param name="logits">(batch, vocabulary) next-token logits.</param>
    /// <param name="previousTokens">(batch, time) the tokens generated (or given) so far.</param>
    /// <param name="penalty">θ ≥ 1; 1 changes nothing.</param>
    public static Tensor Apply(Tensor logits, Tensor previousTokens, double penalty)
    {
        if (penalty < 1) throw new ArgumentOutOfRangeException(nameof(penalty), penalty, "θ < 1 would reward repetition.");
        using var scope = NewDisposeScope();
        var seen = zeros_like(logits, dtype: ScalarType.Bool).scatter(1, previousTokens, ones_like(previousTokens, dtype: ScalarType.Bool));
        var penalised = where(logits > 0, logits / penalty, logits * penalty);
        return where(seen, penalised, logits).MoveToOuterDisposeScope();
    }
}
