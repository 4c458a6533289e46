using TorchSharp;
using TorchSharp.Modules;
using TransformersBook.Blocks;
using TransformersBook.Training;
using static TorchSharp.torch;

namespace TransformersBook.Models;

/// <summary>
/// A GPT (<see cref="Gpt"/>'s layout: token and position embeddings, pre-norm blocks, final LayerNorm, tied output
/// layer) whose feed-forward sublayers are mixtures of experts, as in the Switch Transformer (Fedus et al., 2022).
/// </summary>
public sealed class MoeGpt : DecoderLanguageModel<MixtureOfExpertsDecoderBlock>
{
    /// <param name="config">The model's size and its mixtures' settings.</param>
    public MoeGpt(MoeGptConfig config)
        : base(nameof(MoeGpt), config.VocabularySize, config.Width, config.Layers, config.ContextLength, config.Dropout,
            _ => new MixtureOfExpertsDecoderBlock(config.Width, config.Heads, config.Experts, config.ExpertHidden, config.TopK, config.CapacityFactor, config.Dropout))
    {
        Config = config;
        Initialize();
    }

    /// <summary>The model's size and its mixtures' settings.</summary>
    public MoeGptConfig Config { get; }

    /// <summary>How each block routed the last batch (null entries before the first forward pass).</summary>
    public IReadOnlyList<ExpertRouting?> LastRouting => BlockList.Select(b => b.Mixture.LastRouting).ToArray();

    /// <summary>Sets every block's capacity factor (null: unlimited), e.g. to evaluate at another capacity.</summary>
    public void SetCapacityFactor(double? capacityFactor)
    {
        foreach (var block in BlockList) block.Mixture.CapacityFactor = capacityFactor;
    }

    /// <summary>GPT-2's initialisation, as in <see cref="Gpt"/>: every expert's output projection is a residual projection.</summary>
    void Initialize() => Gpt2Initialization.Apply(this, Config.Layers,
        BlockList.SelectMany(block => block.Mixture.Experts.Select(expert => expert.OutputProjection).Prepend(block.Attention.OutputProjection)));

    /// <summary>Next-token logits, (batch, time) → (batch, time, n_vocab).</summary>
    /// <param name="tokens">(batch, time) token ids, time ≤ n_ctx.</param>
    public override Tensor forward(Tensor tokens) => Apply(tokens).Logits;

    /// <summary>The logits and the blocks' balance losses averaged over the layers.</summary>
    /// <param name="tokens">(batch, time) token ids, time ≤ n_ctx.</param>
    public (Tensor Logits, Tensor BalanceLoss) Apply(Tensor tokens)
    {
        using var scope = NewDisposeScope();
        var x = Embed(tokens);
        var balance = zeros(1, device: tokens.device).squeeze();
        foreach (var block in BlockList)
        {
            var (output, blockBalance) = block.Apply(x);
            x = output;
            balance = balance + blockBalance;
        }
        var logits = Logits(FinalNorm.forward(x));
        return (logits.MoveToOuterDisposeScope(), (balance / Math.Max(1, Config.Layers)).MoveToOuterDisposeScope());
    }

    /// <summary>
    /// The training loss: mean next-token cross-entropy plus <paramref name="balanceCoefficient"/> times the mean
    /// balance loss (Switch uses α = 0.01; α = 0 trains without it).
    /// </summary>
    public Tensor Loss(Tensor tokens, Tensor targets, double balanceCoefficient = 0.0)
    {
        using var scope = NewDisposeScope();
        var (logits, balance) = Apply(tokens);
        var loss = Losses.TokenCrossEntropy(logits, targets);
        if (balanceCoefficient != 0) loss = loss + balanceCoefficient * balance;
        return loss.MoveToOuterDisposeScope();
    }
}
