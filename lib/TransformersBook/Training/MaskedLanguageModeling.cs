using static TorchSharp.torch;

namespace TransformersBook.Training;

/// <summary>
/// BERT's masked-language-model corruption (Devlin et al., 2019): each ordinary token is chosen with probability 15 %;
/// a chosen token is replaced by [MASK] 80 % of the time, by a random ordinary token 10 % of the time, and left as it is
/// 10 % of the time, and only the chosen positions are predicted. The random and unchanged tenths keep the model from
/// learning that only [MASK] positions matter, since [MASK] never appears when the model is fine-tuned or used.
/// </summary>
public static class MaskedLanguageModeling
{
    /// <summary>The target that means "nothing to predict here" (cross_entropy's default ignore_index).</summary>
    public const long IgnoreIndex = -100;

    /// <summary>The corrupted input and the targets for a batch of token ids.</summary>
    /// <param name="tokens">(…) token ids; ids below <paramref name="firstOrdinaryId"/> (special tokens, padding) are never chosen.</param>
    /// <param name="maskId">The id of [MASK].</param>
    /// <param name="vocabularySize">V; random replacements are drawn uniformly from [firstOrdinaryId, V).</param>
    /// <param name="firstOrdinaryId">The smallest id that is not a special token.</param>
    /// <param name="generator">The random stream (seed it for reproducible masks); on the CPU.</param>
    /// <param name="rate">The share of ordinary tokens chosen (0.15).</param>
    /// <param name="maskShare">Of the chosen, the share replaced by [MASK] (0.8).</param>
    /// <param name="randomShare">Of the chosen, the share replaced by a random token (0.1); the rest stay unchanged.</param>
    /// <returns>Input: the corrupted tokens; Targets: the original id where chosen, else <see cref="IgnoreIndex"/>. Both on the input's device.</returns>
    public static (Tensor Input, Tensor Targets) Corrupt(Tensor tokens, long maskId, long vocabularySize, long firstOrdinaryId,
        Generator? generator = null, double rate = 0.15, double maskShare = 0.8, double randomShare = 0.1)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (maskShare + randomShare > 1) throw new ArgumentException("maskShare + randomShare must not exceed 1.", nameof(randomShare));
        using var scope = NewDisposeScope();
        var cpuTokens = tokens.cpu();
        var shape = cpuTokens.shape;
        var chosen = (rand(shape, generator: generator) < rate).logical_and(cpuTokens >= firstOrdinaryId);
        var how = rand(shape, generator: generator);
        var toMask = chosen.logical_and(how < maskShare);
        var toRandom = chosen.logical_and(how >= maskShare).logical_and(how < maskShare + randomShare);
        var randomTokens = (rand(shape, generator: generator) * (vocabularySize - firstOrdinaryId)).floor().to_type(ScalarType.Int64)
            .clamp(0, vocabularySize - firstOrdinaryId - 1) + firstOrdinaryId;
        var input = where(toMask, full_like(cpuTokens, maskId), cpuTokens);
        input = where(toRandom, randomTokens, input);
        var targets = where(chosen, cpuTokens, full_like(cpuTokens, IgnoreIndex));
        return (input.to(tokens.device).MoveToOuterDisposeScope(), targets.to(tokens.device).MoveToOuterDisposeScope());
    }
}
