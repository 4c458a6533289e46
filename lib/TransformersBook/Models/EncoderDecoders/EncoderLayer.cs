using TorchSharp;
using TorchSharp.Modules;
using TransformersBook.Attention;
using TransformersBook.Blocks;
using static TorchSharp.torch;

namespace TransformersBook.Models;

/// <summary>
/// One layer of the encoder of Vaswani et al. (2017): multi-head self-attention over the whole source, then a
/// position-wise feed-forward network, each wrapped in a residual connection and a LayerNorm. The paper normalises the
/// sum, LN(x + Sublayer(x)) ("post-norm"); <c>preNorm</c> gives x + Sublayer(LN(x)) instead, which trains deep stacks
/// without learning-rate warmup (Xiong et al., 2020) but needs a final LayerNorm after the stack.
/// </summary>
public sealed class EncoderLayer : nn.Module<Tensor, Tensor?, Tensor>
{
    readonly MultiHeadAttention selfAttention;
    readonly LayerNorm attentionNorm;
    readonly FeedForward feedForward;
    readonly LayerNorm feedForwardNorm;
    readonly Dropout residualDropout;

    /// <param name="width">d_model.</param>
    /// <param name="heads">h.</param>
    /// <param name="feedForwardWidth">d_ff, the feed-forward network's hidden width (4·d_model in the paper).</param>
    /// <param name="dropout">P_drop on attention weights and on each sublayer's output before the residual sum.</param>
    /// <param name="preNorm">Normalise each sublayer's input rather than the residual sum.</param>
    public EncoderLayer(int width, int heads, int feedForwardWidth, double dropout = 0.0, bool preNorm = false) : base(nameof(EncoderLayer))
    {
        PreNorm = preNorm;
        selfAttention = new MultiHeadAttention(width, heads, dropout);
        attentionNorm = nn.LayerNorm(width);
        // ReLU, as in the 2017 paper (GPT-2 later moved to GELU).
        feedForward = new FeedForward(width, feedForwardWidth, dropout, kind: FeedForwardKind.Relu);
        feedForwardNorm = nn.LayerNorm(width);
        residualDropout = nn.Dropout(dropout);
        RegisterComponents();
    }

    /// <summary>Whether LayerNorm is applied to each sublayer's input (true) or to the residual sum (false, the paper).</summary>
    public bool PreNorm { get; }

    public MultiHeadAttention SelfAttention => selfAttention;

    public FeedForward FeedForward => feedForward;

    /// <param name="x">(batch, source length, d_model)</param>
    /// <param name="mask">Boolean, true = may attend, broadcastable to (batch, heads, source, source); usually the
    /// source's padding mask as (batch, 1, 1, source).</param>
    /// <returns>(batch, source length, d_model)</returns>
    public override Tensor forward(Tensor x, Tensor? mask)
    {
        using var scope = NewDisposeScope();
        return ForwardWithAttention(x, mask).Output.MoveToOuterDisposeScope();
    }

    /// <summary>The layer's output and its self-attention weights, for attention maps and rollout.</summary>
    /// <returns>Output (batch, source length, d_model) and each head's weights (batch, heads, source, source).</returns>
    public (Tensor Output, Tensor Weights) ForwardWithAttention(Tensor x, Tensor? mask)
    {
        using var scope = NewDisposeScope();
        Tensor? weights = null;
        x = ResidualSublayer.Apply(x, attentionNorm, PreNorm, h =>
        {
            var attended = selfAttention.forward(h, h, h, mask);
            weights = attended.Weights;
            return attended.Output;
        }, residualDropout);
        x = ResidualSublayer.Apply(x, feedForwardNorm, PreNorm, feedForward.forward);
        return (x.MoveToOuterDisposeScope(), weights!.MoveToOuterDisposeScope());
    }
}
