using TorchSharp;
using TorchSharp.Modules;
using TransformersBook.Attention;
using static TorchSharp.torch;

namespace TransformersBook.Blocks;

/// <summary>
/// A GPT-2 decoder block: pre-norm residual sublayers, x + Attention(LN(x)) then x + FFN(LN(x)).
/// Normalising the sublayer input rather than the sum (Xiong et al., 2020) keeps deep stacks trainable without warmup.
/// The feed-forward sublayer is GPT-2's GELU network by default, or any <see cref="FeedForwardKind"/> at the
/// equal-parameter hidden width of <see cref="FeedForwardVariants.HiddenSize"/>.
/// </summary>
public sealed class PreNormDecoderBlock : nn.Module<Tensor, Tensor>
{
    readonly LayerNorm attentionNorm;
    readonly CausalSelfAttention attention;
    readonly LayerNorm feedForwardNorm;
    readonly nn.Module<Tensor, Tensor> feedForward;

    /// <param name="width">The model width d.</param>
    /// <param name="heads">Attention heads.</param>
    /// <param name="dropout">Dropout on attention weights and sublayer outputs.</param>
    /// <param name="bias">Whether the linear layers have biases.</param>
    /// <param name="feedForwardKind">Which feed-forward sublayer (GELU, as in GPT-2, by default).</param>
    public PreNormDecoderBlock(int width, int heads, double dropout = 0.0, bool bias = true, FeedForwardKind feedForwardKind = FeedForwardKind.Gelu)
        : base(nameof(PreNormDecoderBlock))
    {
        attentionNorm = nn.LayerNorm(width);
        attention = new CausalSelfAttention(width, heads, dropout, bias);
        feedForwardNorm = nn.LayerNorm(width);
        // The dense kinds keep 4d exactly (FeedForwardVariants.HiddenSize), so the default block is unchanged.
        feedForward = FeedForwardVariants.Create(feedForwardKind, width, dropout: dropout, bias: bias);
        FeedForwardKind = feedForwardKind;
        RegisterComponents();
    }

    public CausalSelfAttention Attention => attention;

    /// <summary>The LayerNorm before the attention sublayer.</summary>
    public LayerNorm AttentionNorm => attentionNorm;

    /// <summary>The LayerNorm before the feed-forward sublayer.</summary>
    public LayerNorm FeedForwardNorm => feedForwardNorm;

    /// <summary>Which feed-forward sublayer the block has.</summary>
    public FeedForwardKind FeedForwardKind { get; }

    /// <summary>The feed-forward sublayer, dense or gated, through the interface every kind offers.</summary>
    public IFeedForward FeedForward => (IFeedForward)feedForward;

    /// <summary>The feed-forward sublayer as a module (its parameters, its type).</summary>
    public nn.Module<Tensor, Tensor> FeedForwardSublayer => feedForward;

    /// <summary>The feed-forward sublayer's projection back onto the residual stream (GPT-2 scales its initialisation).</summary>
    public Linear FeedForwardOutputProjection => FeedForward.OutputProjection;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        x = x + attention.forward(attentionNorm.forward(x));
        x = x + feedForward.forward(feedForwardNorm.forward(x));
        return x.MoveToOuterDisposeScope();
    }
}
