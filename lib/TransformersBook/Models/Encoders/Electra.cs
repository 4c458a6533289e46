using TorchSharp;
using TorchSharp.Modules;
using TransformersBook.Training;
using static TorchSharp.torch;

namespace TransformersBook.Models;

/// <summary>What one ELECTRA step measured.</summary>
/// <param name="Total">L_MLM(G) + λ·L_disc(D), the loss that is minimised.</param>
/// <param name="Generator">The generator's masked-LM loss.</param>
/// <param name="Discriminator">The discriminator's mean binary cross-entropy over every real (non-padding) token.</param>
/// <param name="ReplacedShare">The share of tokens the generator's samples actually changed.</param>
/// <param name="DetectionAccuracy">How often the discriminator's replaced/original call was right.</param>
public sealed record ElectraLosses(Tensor Total, double Generator, double Discriminator, double ReplacedShare, double DetectionAccuracy);

/// <summary>
/// ELECTRA's pretraining (Clark et al., 2020): a small generator G is trained as a masked language model; its samples
/// fill the masked positions; a discriminator D, the model that is kept, labels every token as original or replaced.
/// D learns from all tokens, not only the ≈15 % that were masked, which is where ELECTRA's sample efficiency comes from.
/// A sample that happens to equal the original counts as original. No gradient flows through the sampling, so the
/// generator is trained by its MLM loss alone: L = L_MLM(G) + λ·L_disc(D), λ = 50 in the paper. The paper also ties G's
/// and D's token embeddings; here they are two ordinary encoders, so D is exactly the model a BERT would be. D needs no
/// output layer over the vocabulary, only one logit per token.
/// </summary>
public sealed class Electra : nn.Module<Tensor, Tensor>
{
    readonly EncoderOnly generator;
    readonly EncoderOnly discriminator;
    readonly Linear replacedHead;

    /// <param name="generator">The small masked LM (the paper's best generators are ¼–½ of the discriminator's width).</param>
    /// <param name="discriminator">The encoder that is kept; must have the same vocabulary and width of embeddings as G.</param>
    public Electra(EncoderOnly generator, EncoderOnly discriminator) : base(nameof(Electra))
    {
        if (generator.Config.VocabularySize != discriminator.Config.VocabularySize)
            throw new ArgumentException("the generator and the discriminator must share one vocabulary.", nameof(generator));
        this.generator = generator;
        this.discriminator = discriminator;
        replacedHead = nn.Linear(discriminator.Config.Width, 1);
        RegisterComponents();
    }

    /// <summary>The generator G.</summary>
    public EncoderOnly Generator => generator;

    /// <summary>The discriminator D: the encoder fine-tuned afterwards.</summary>
    public EncoderOnly Discriminator => discriminator;

    /// <summary>D's logit that each token was replaced, (batch, time).</summary>
    public override Tensor forward(Tensor tokens) => replacedHead.forward(discriminator.Encode(tokens)).squeeze(-1);

    /// <summary>
    /// One step's losses: mask as BERT does, let G fill the masked positions by sampling from its softmax, and score D
    /// on telling the filled text from the original.
    /// </summary>
    /// <param name="tokens">(batch, time) original token ids.</param>
    /// <param name="maskId">[MASK]'s id.</param>
    /// <param name="firstOrdinaryId">The smallest id that is not a special token.</param>
    /// <param name="discriminatorWeight">λ.</param>
    /// <param name="random">The masking and sampling stream (CPU).</param>
    /// <param name="paddingId">Padding is neither masked nor scored.</param>
    public ElectraLosses Losses(Tensor tokens, long maskId, long firstOrdinaryId, double discriminatorWeight = 50.0, Generator? random = null, long? paddingId = null)
    {
        using var scope = NewDisposeScope();
        long vocabulary = generator.Config.VocabularySize;
        var (masked, targets) = MaskedLanguageModeling.Corrupt(tokens, maskId, vocabulary, firstOrdinaryId, random, maskShare: 1.0, randomShare: 0.0);
        var generatorLogits = generator.forward(masked);
        var generatorLoss = nn.functional.cross_entropy(generatorLogits.view(-1, vocabulary), targets.view(-1), ignore_index: MaskedLanguageModeling.IgnoreIndex);

        Tensor corrupted;
        using (no_grad())
        {
            // Sample only at the masked rows: a softmax and a draw over V at every position would cost as much as G itself.
            var rows = targets.ne(MaskedLanguageModeling.IgnoreIndex).view(-1).nonzero().squeeze(1);
            corrupted = tokens.clone();
            if (rows.numel() > 0)
            {
                var probabilities = nn.functional.softmax(generatorLogits.detach().view(-1, vocabulary).index_select(0, rows).cpu(), dim: -1);
                var samples = multinomial(probabilities, 1, generator: random).squeeze(1).to(tokens.device);
                corrupted = corrupted.view(-1).index_copy(0, rows, samples).view(tokens.shape);
            }
        }
        var replaced = corrupted.ne(tokens);
        var real = paddingId is long pad ? tokens.ne(pad) : ones_like(tokens, dtype: ScalarType.Bool);
        var logits = forward(corrupted);
        var perToken = nn.functional.binary_cross_entropy_with_logits(logits, replaced.to_type(logits.dtype), reduction: nn.Reduction.None);
        var discriminatorLoss = perToken.masked_select(real).mean();
        var correct = (logits > 0).eq(replaced).masked_select(real).to_type(ScalarType.Float32).mean();
        var total = generatorLoss + discriminatorWeight * discriminatorLoss;
        return new ElectraLosses(total.MoveToOuterDisposeScope(), generatorLoss.item<float>(), discriminatorLoss.item<float>(),
            replaced.masked_select(real).to_type(ScalarType.Float32).mean().item<float>(), correct.item<float>());
    }
}
