using TorchSharp;
using TorchSharp.Modules;
using TransformersBook.Attention;
using static TorchSharp.torch;

namespace TransformersBook.Blocks;

/// <summary>
/// A causal decoder block whose LayerNorm placement and skip connections can be switched, for experiments on what
/// keeps deep stacks trainable (Xiong et al., 2020). With residuals on, its two sublayers compute
/// <list type="bullet">
/// <item>pre-norm: x ← x + Attention(LN₁(x)), then x ← x + FFN(LN₂(x)) — exactly <see cref="PreNormDecoderBlock"/>;</item>
/// <item>post-norm: x ← LN₁(x + Attention(x)), then x ← LN₂(x + FFN(x)) — the original Transformer (Vaswani et al., 2017).</item>
/// </list>
/// With residuals off the "x +" is dropped and the sublayers are simply composed. The submodules are named as in
/// <see cref="PreNormDecoderBlock"/>, so a pre-norm block's state dict loads into either.
/// </summary>
public sealed class ConfigurableDecoderBlock : nn.Module<Tensor, Tensor>
{
    readonly LayerNorm attentionNorm;
    readonly CausalSelfAttention attention;
    readonly LayerNorm feedForwardNorm;
    readonly FeedForward feedForward;

    /// <param name="width">The model width d.</param>
    /// <param name="heads">Attention heads (d must be divisible by them).</param>
    /// <param name="placement">Where the LayerNorms go.</param>
    /// <param name="residual">Whether each sublayer's input is added back to its output.</param>
    /// <param name="dropout">Dropout on attention weights and sublayer outputs.</param>
    /// <param name="bias">Whether the linear layers have biases.</param>
    public ConfigurableDecoderBlock(int width, int heads, NormPlacement placement, bool residual = true, double dropout = 0.0, bool bias = true)
        : base(nameof(ConfigurableDecoderBlock))
    {
        Placement = placement;
        Residual = residual;
        attentionNorm = nn.LayerNorm(width);
        attention = new CausalSelfAttention(width, heads, dropout, bias);
        feedForwardNorm = nn.LayerNorm(width);
        feedForward = new FeedForward(width, 4 * width, dropout, bias);
        RegisterComponents();
    }

    /// <summary>Where the LayerNorms go.</summary>
    public NormPlacement Placement { get; }

    /// <summary>Whether the skip connections are on.</summary>
    public bool Residual { get; }

    /// <summary>The attention sublayer.</summary>
    public CausalSelfAttention Attention => attention;

    /// <summary>The feed-forward sublayer.</summary>
    public FeedForward FeedForward => feedForward;

    /// <param name="x">(batch, time, width)</param>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        x = Sublayer(x, attention, attentionNorm);
        x = Sublayer(x, feedForward, feedForwardNorm);
        return x.MoveToOuterDisposeScope();
    }

    Tensor Sublayer(Tensor x, nn.Module<Tensor, Tensor> sublayer, LayerNorm norm) => (Placement, Residual) switch
    {
        (NormPlacement.PreNorm, true) => x + sublayer.forward(norm.forward(x)),
        (NormPlacement.PreNorm, false) => sublayer.forward(norm.forward(x)),
        (NormPlacement.PostNorm, true) => norm.forward(x + sublayer.forward(x)),
        _ => norm.forward(sublayer.forward(x)),
    };
}
