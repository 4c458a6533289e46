using TorchSharp;
using TransformersBook.Blocks;
using static TorchSharp.torch;

namespace TransformersBook.Models;

/// <summary>
/// A GPT-shaped language model (token and learned position embeddings, a stack of decoder blocks, a final LayerNorm,
/// logits from the tied token embedding) whose blocks are <see cref="ConfigurableDecoderBlock"/>s, so that deep stacks
/// with pre-norm or post-norm and with or without skip connections can be trained side by side (Xiong et al., 2020).
/// </summary>
/// <remarks>
/// Every configuration gets the same initialisation, N(0, 0.02²) weights and zero biases, without GPT-2's 1/√(2L)
/// scaling of the residual projections: that scaling is itself a remedy for deep stacks and would blur the comparison.
/// The final LayerNorm is kept in every configuration so all have the same parameters; after a post-norm stack it
/// re-normalises an already normalised vector, which only applies its gain and bias.
/// </remarks>
public sealed class DeepStackLanguageModel : DecoderLanguageModel<ConfigurableDecoderBlock>
{
    /// <param name="config">Sizes (n_vocab, n_ctx, n_layer, n_head, n_embd); dropout applies inside the blocks.</param>
    /// <param name="placement">Where every block puts its LayerNorms.</param>
    /// <param name="residual">Whether the blocks have skip connections.</param>
    public DeepStackLanguageModel(GptConfig config, NormPlacement placement, bool residual = true)
        : base(nameof(DeepStackLanguageModel), config.VocabularySize, config.Width, config.Layers, config.ContextLength, embeddingDropout: null,
            _ => new ConfigurableDecoderBlock(config.Width, config.Heads, placement, residual, config.Dropout))
    {
        Config = config;
        Placement = placement;
        Residual = residual;
        using var noGrad = no_grad();
        foreach (var (name, parameter) in named_parameters())
        {
            if (name.EndsWith("bias", StringComparison.Ordinal)) nn.init.zeros_(parameter);
            else if (parameter.dim() >= 2) nn.init.normal_(parameter, 0.0, 0.02);
        }
    }

    /// <summary>The sizes.</summary>
    public GptConfig Config { get; }

    /// <summary>Where the blocks put their LayerNorms.</summary>
    public NormPlacement Placement { get; }

    /// <summary>Whether the blocks have skip connections.</summary>
    public bool Residual { get; }

    /// <summary>
    /// The L2 norm of the gradient of each block's parameters together, first block to last, after a backward pass
    /// (0 for a block with no gradient yet). Xiong et al. (2020) compare exactly this across depth.
    /// </summary>
    public double[] BlockGradientNorms()
    {
        using var scope = NewDisposeScope();
        return BlockList.Select(block =>
        {
            double sumOfSquares = 0;
            foreach (var parameter in block.parameters())
                if (parameter.grad is { } grad) sumOfSquares += grad.to_type(ScalarType.Float64).square().sum().item<double>();
            return Math.Sqrt(sumOfSquares);
        }).ToArray();
    }
}
