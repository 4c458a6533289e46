using TorchSharp;
using TorchSharp.Modules;
using TransformersBook.Attention;
using static TorchSharp.torch;

namespace TransformersBook.Blocks;

/// <summary>
/// A pre-norm decoder block whose feed-forward sublayer is a <see cref="MixtureOfExperts"/>:
/// x + Attention(LN(x)), then x + MoE(LN(x)). A token an expert drops gets nothing from that expert and so passes
/// through the sublayer on the residual path alone (Switch Transformer, Fedus et al., 2022).
/// </summary>
public sealed class MixtureOfExpertsDecoderBlock : nn.Module<Tensor, Tensor>
{
    readonly LayerNorm attentionNorm;
    readonly CausalSelfAttention attention;
    readonly LayerNorm feedForwardNorm;
    readonly MixtureOfExperts mixture;

    /// <param name="width">The model width d.</param>
    /// <param name="heads">Attention heads.</param>
    /// <param name="experts">E, the number of experts.</param>
    /// <param name="expertHidden">Each expert's hidden width.</param>
    /// <param name="topK">k, the experts per token.</param>
    /// <param name="capacityFactor">The capacity factor; null: unlimited.</param>
    /// <param name="dropout">Dropout on attention weights and sublayer outputs.</param>
    public MixtureOfExpertsDecoderBlock(int width, int heads, int experts, int expertHidden, int topK = 1,
        double? capacityFactor = null, double dropout = 0.0)
        : base(nameof(MixtureOfExpertsDecoderBlock))
    {
        attentionNorm = nn.LayerNorm(width);
        attention = new CausalSelfAttention(width, heads, dropout);
        feedForwardNorm = nn.LayerNorm(width);
        mixture = new MixtureOfExperts(width, experts, expertHidden, topK, capacityFactor, dropout);
        RegisterComponents();
    }

    /// <summary>The attention sublayer.</summary>
    public CausalSelfAttention Attention => attention;

    /// <summary>The mixture-of-experts sublayer.</summary>
    public MixtureOfExperts Mixture => mixture;

    /// <summary>The block's output, (B, T, d) → (B, T, d).</summary>
    public override Tensor forward(Tensor x) => Apply(x).Output;

    /// <summary>The block's output and its mixture's balance loss.</summary>
    public (Tensor Output, Tensor BalanceLoss) Apply(Tensor x)
    {
        using var scope = NewDisposeScope();
        x = x + attention.forward(attentionNorm.forward(x));
        var (mixed, balanceLoss) = mixture.Apply(feedForwardNorm.forward(x));
        return ((x + mixed).MoveToOuterDisposeScope(), balanceLoss.MoveToOuterDisposeScope());
    }
}
