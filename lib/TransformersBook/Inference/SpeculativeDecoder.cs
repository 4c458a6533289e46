using TorchSharp;
using TransformersBook.Models;
using static TorchSharp.torch;

namespace TransformersBook.Inference;

/// <summary>
/// Speculative decoding of one sequence: a small draft GPT proposes <see cref="DraftLength"/> tokens one at a time,
/// the target GPT scores all of them in a single cached forward pass, and <see cref="SpeculativeSampling.Verify"/>
/// keeps a prefix of them plus one more token. Each round costs one target pass and yields between 1 and k + 1
/// tokens, distributed exactly as sampling from the target alone. Both models keep a <see cref="KeyValueCache"/>,
/// truncated after each round to the tokens that were kept.
/// </summary>
public sealed class SpeculativeDecoder
{
    readonly CachedGptDecoder draft;
    readonly CachedGptDecoder target;

    /// <param name="draft">The small model that proposes tokens (same vocabulary as the target).</param>
    /// <param name="target">The model whose distribution the output follows.</param>
    /// <param name="draftLength">k, tokens proposed per round.</param>
    /// <param name="temperature">Both models sample from softmax(logits / temperature).</param>
    public SpeculativeDecoder(Gpt draft, Gpt target, int draftLength, double temperature = 1.0)
    {
        if (draftLength < 1) throw new ArgumentOutOfRangeException(nameof(draftLength), draftLength, "propose at least one token per round.");
        if (temperature <= 0) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "temperature must be positive.");
        if (draft.Config.VocabularySize != target.Config.VocabularySize) throw new ArgumentException("the draft and the target must share a vocabulary.", nameof(draft));
        this.draft = new CachedGptDecoder(draft);
        this.target = new CachedGptDecoder(target);
        DraftLength = draftLength;
        Temperature = temperature;
    }

    /// <summary>k, tokens the draft proposes per round.</summary>
    public int DraftLength { get; }

    /// <summary>The sampling temperature of both models.</summary>
    public double Temperature { get; }

    /// <summary>Extends <paramref name="prompt"/> by <paramref name="newTokens"/> tokens (prompt + new tokens + k must fit both contexts).</summary>
    /// <param name="prompt">The prompt's token ids.</param>
    /// <param name="newTokens">Tokens to generate.</param>
    /// <param name="generator">The random stream of the draft's draws and of the verification.</param>
    public SpeculativeResult Generate(long[] prompt, int newTokens, Generator? generator = null)
    {
        using var noGrad = no_grad();
        using var draftCache = draft.NewCache();
        using var targetCache = target.NewCache();
        var device = target.Model.TokenEmbedding.weight!.device;
        var sequence = new List<long>(prompt);
        var acceptedPerRound = new List<int>();
        int draftPasses = 0;
        while (sequence.Count < prompt.Length + newTokens)
        {
            using var scope = NewDisposeScope();
            // The draft proposes k tokens, feeding first whatever of the sequence its cache lacks.
            var proposed = new long[DraftLength];
            var draftDistributions = new List<Tensor>();
            var input = Tokens(sequence.Skip((int)draftCache.Length).ToArray(), device);
            for (int i = 0; i < DraftLength; i++)
            {
                var logits = draft.Forward(input, draftCache);
                draftPasses++;
                var q = nn.functional.softmax(logits.select(1, logits.shape[1] - 1) / Temperature, dim: -1);
                proposed[i] = multinomial(q, 1, generator: generator).item<long>();
                draftDistributions.Add(q);
                input = Tokens(new[] { proposed[i] }, device);
            }
            // The target scores the missing tokens and all k proposals in one pass; its last k + 1 positions give p₁ … p_{k+1}.
            var targetInput = sequence.Skip((int)targetCache.Length).Concat(proposed).ToArray();
            var targetLogits = target.Forward(Tokens(targetInput, device), targetCache);
            var p = nn.functional.softmax(targetLogits.narrow(1, targetInput.Length - DraftLength - 1, DraftLength + 1) / Temperature, dim: -1);
            var (accepted, next) = SpeculativeSampling.Verify(p, stack(draftDistributions, dim: 1), tensor(proposed, new long[] { 1, DraftLength }, device: device), generator);
            int kept = (int)accepted.item<long>();
            acceptedPerRound.Add(kept);
            sequence.AddRange(proposed.Take(kept));
            sequence.Add(next.item<long>());
            // Keep only the cache entries of tokens now in the sequence before its last one.
            draftCache.Truncate(Math.Min(draftCache.Length, sequence.Count - 1));
            targetCache.Truncate(Math.Min(targetCache.Length, sequence.Count - 1));
        }
        return new SpeculativeResult(sequence.Take(prompt.Length + newTokens).ToArray(), acceptedPerRound, draftPasses, DraftLength);
    }

    static Tensor Tokens(long[] ids, Device device) => tensor(ids, new long[] { 1, ids.Length }, device: device);
}
