using TorchSharp;
using TorchSharp.Modules;
using TransformersBook.Training;
using static TorchSharp.torch;

namespace TransformersBook.Models;

/// <summary>
/// A GPT with a copy mechanism: the pointer-generator of See et al. (2017), after pointer networks (Vinyals et al.,
/// 2015) and CopyNet (Gu et al., 2016), put on a decoder-only model. At each position t the next token is drawn from
/// a mixture of two distributions,
/// <c>p(w) = g_t · softmax(logits_t)(w) + (1 − g_t) · Σ_{j &lt; t, x_{j+1} = w} a_tj</c>,
/// where a_t is a single attention head over the earlier positions (pointing at j copies the token that followed j)
/// and g_t = σ(w·h_t) is a learned gate. A plain GPT must grow an induction circuit before it can repeat a rare word
/// from its context, which takes far more training than a laptop gives; the pointer can copy any token in the context,
/// seen in training or not, as soon as its query and key learn to match the current token with an earlier one.
/// </summary>
public sealed class PointerGeneratorGpt : nn.Module<Tensor, Tensor>
{
    readonly Gpt body;
    readonly Linear pointerQuery;
    readonly Linear pointerKey;
    readonly Linear gate;

    /// <param name="config">The GPT underneath; the pointer head has the model's width.</param>
    public PointerGeneratorGpt(GptConfig config) : base(nameof(PointerGeneratorGpt))
    {
        body = new Gpt(config);
        pointerQuery = nn.Linear(config.Width, config.Width, hasBias: false);
        pointerKey = nn.Linear(config.Width, config.Width, hasBias: false);
        gate = nn.Linear(config.Width, 1);
        RegisterComponents();
    }

    /// <summary>The GPT's sizes.</summary>
    public GptConfig Config => body.Config;

    /// <summary>The GPT that reads the context and gives the vocabulary distribution.</summary>
    public Gpt Body => body;

    /// <summary>Log-probabilities of the next token at every position, mixture included.</summary>
    /// <param name="tokens">(batch, time) token ids.</param>
    /// <returns>(batch, time, vocabulary)</returns>
    public override Tensor forward(Tensor tokens)
    {
        using var scope = NewDisposeScope();
        long rows = tokens.shape[0] * tokens.shape[1];
        var mixture = MixtureAt(Parts(tokens), arange(rows, device: tokens.device));
        return mixture.view(tokens.shape[0], tokens.shape[1], -1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Log-probabilities of the token after one position per row, mixture included: what greedy decoding needs,
    /// without the vocabulary-wide softmax at every other position.
    /// </summary>
    /// <param name="tokens">(batch, time) token ids.</param>
    /// <param name="positions">(batch) the position in each row whose next token is wanted.</param>
    /// <returns>(batch, vocabulary)</returns>
    public Tensor NextToken(Tensor tokens, Tensor positions)
    {
        using var scope = NewDisposeScope();
        var rows = arange(tokens.shape[0], device: tokens.device) * tokens.shape[1] + positions;
        return MixtureAt(Parts(tokens), rows).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The mixture's log-probabilities (n, vocabulary) at n of the batch × time positions, numbered row-major.
    /// </summary>
    Tensor MixtureAt((Tensor Features, Tensor Pointer, Tensor VocabularyShare, Tensor Next) parts, Tensor rows)
    {
        var (features, pointer, vocabularyShare, next) = parts;
        long time = pointer.shape[2];
        var fromVocabulary = nn.functional.softmax(body.Logits(features.view(-1, features.shape[2]).index_select(0, rows)), dim: -1);
        var atPointer = pointer.view(-1, time).index_select(0, rows);
        var share = vocabularyShare.view(-1, 1).index_select(0, rows);
        // Scatter each position's pointer weights onto the tokens they copy: weight on j → token x_{j+1}.
        var atNext = next.unsqueeze(1).expand_as(pointer).reshape(-1, time).index_select(0, rows);
        var copied = zeros_like(fromVocabulary).scatter_add(1, atNext, atPointer);
        return (share * fromVocabulary + (1 - share) * copied).clamp_min(1e-30).log();
    }

    /// <summary>Where the copy path looks and how much it counts, for plotting what the model read.</summary>
    /// <param name="tokens">(batch, time) token ids.</param>
    /// <returns>Pointer weights (batch, time, time): row t over the positions j &lt; t, whose following token it would
    /// copy; and the vocabulary's share g (batch, time), so that 1 − g is the copy path's.</returns>
    public (Tensor Pointer, Tensor VocabularyShare) CopyWeights(Tensor tokens)
    {
        using var scope = NewDisposeScope();
        var (_, pointer, share, _) = Parts(tokens);
        return (pointer.MoveToOuterDisposeScope(), share.squeeze(2).MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Mean negative log-likelihood of the targets that are not −100, computed at those positions only (no
    /// vocabulary-wide mixture is built).
    /// </summary>
    /// <param name="tokens">(batch, time) token ids.</param>
    /// <param name="targets">(batch, time) the next token where the loss counts, −100 elsewhere.</param>
    public Tensor Loss(Tensor tokens, Tensor targets)
    {
        using var scope = NewDisposeScope();
        var (features, pointer, vocabularyShare, next) = Parts(tokens);
        var counted = targets.ne(-100);
        var rows = counted.view(-1).nonzero().squeeze(1);
        var countedTargets = targets.view(-1).index_select(0, rows);
        // The vocabulary-wide softmax only where a target counts: the answer is a few positions of a long row.
        var countedFeatures = features.view(-1, features.shape[2]).index_select(0, rows);
        var fromVocabulary = Losses.TokenLogProbability(body.Logits(countedFeatures), countedTargets);
        // Pointer mass on the earlier positions whose following token is the target.
        var countedPointer = pointer.view(-1, pointer.shape[2]).index_select(0, rows);
        var countedNext = next.unsqueeze(1).expand_as(pointer).reshape(-1, pointer.shape[2]).index_select(0, rows);
        var fromCopy = (countedPointer * countedNext.eq(countedTargets.unsqueeze(1))).sum(1);
        var share = vocabularyShare.view(-1).index_select(0, rows);
        var logLikelihood = (share.log() + fromVocabulary).logaddexp((1 - share).clamp_min(1e-30).log() + fromCopy.clamp_min(1e-30).log());
        return (-logLikelihood).mean().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The mixture's parts: the GPT's features (b, t, d), from which the vocabulary logits come; pointer weights
    /// (b, t, t), zero where j ≥ t;
    /// the vocabulary's share g (b, t, 1), 1 at t = 0 where nothing can be copied; the token after each j (b, t).
    /// </summary>
    (Tensor Features, Tensor Pointer, Tensor VocabularyShare, Tensor Next) Parts(Tensor tokens)
    {
        long time = tokens.shape[1];
        var features = body.Features(tokens);
        var scores = pointerQuery.forward(features).matmul(pointerKey.forward(features).transpose(1, 2)) / Math.Sqrt(Config.Width);
        // Position t may point at j < t only: pointing at j copies x_{j+1}, and for j = t that is the token to predict.
        var allowed = ones(time, time, dtype: ScalarType.Bool, device: tokens.device).tril(-1);
        var pointer = scores.masked_fill(allowed.logical_not(), double.NegativeInfinity).softmax(-1).nan_to_num(0.0);
        var share = gate.forward(features).sigmoid();
        var first = zeros(time, 1, dtype: ScalarType.Bool, device: tokens.device);
        first[0, 0] = true;
        share = share.masked_fill(first, 1.0);
        // x_{j+1} for every j; the last position has no successor, and no t may point at it.
        var next = cat(new[] { tokens.narrow(1, 1, time - 1), tokens.narrow(1, time - 1, 1) }, dim: 1);
        return (features, pointer, share, next);
    }
}
