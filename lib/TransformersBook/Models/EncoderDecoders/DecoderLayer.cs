using TorchSharp;
using TorchSharp.Modules;
using TransformersBook.Attention;
using TransformersBook.Blocks;
using static TorchSharp.torch;

namespace TransformersBook.Models;

/// <summary>
/// One layer of the decoder of Vaswani et al. (2017): masked multi-head self-attention over the target so far, then
/// multi-head cross-attention whose queries come from the decoder and whose keys and values are the encoder's output
/// (the "memory"), then a position-wise feed-forward network; each sublayer has a residual connection and a LayerNorm,
/// post-norm as in the paper or pre-norm on request (see <see cref="EncoderLayer"/>).
/// </summary>
public sealed class DecoderLayer : nn.Module<Tensor, Tensor, Tensor?, Tensor?, (Tensor Output, Tensor CrossAttention)>
{
    readonly MultiHeadAttention selfAttention;
    readonly LayerNorm selfAttentionNorm;
    readonly MultiHeadAttention crossAttention;
    readonly LayerNorm crossAttentionNorm;
    readonly FeedForward feedForward;
    readonly LayerNorm feedForwardNorm;
    readonly Dropout residualDropout;

    /// <param name="width">d_model.</param>
    /// <param name="heads">h, for both attentions.</param>
    /// <param name="feedForwardWidth">d_ff.</param>
    /// <param name="dropout">P_drop on attention weights and on each sublayer's output before the residual sum.</param>
    /// <param name="preNorm">Normalise each sublayer's input rather than the residual sum.</param>
    public DecoderLayer(int width, int heads, int feedForwardWidth, double dropout = 0.0, bool preNorm = false) : base(nameof(DecoderLayer))
    {
        PreNorm = preNorm;
        selfAttention = new MultiHeadAttention(width, heads, dropout);
        selfAttentionNorm = nn.LayerNorm(width);
        crossAttention = new MultiHeadAttention(width, heads, dropout);
        crossAttentionNorm = nn.LayerNorm(width);
        // ReLU, as in the 2017 paper (GPT-2 later moved to GELU).
        feedForward = new FeedForward(width, feedForwardWidth, dropout, kind: FeedForwardKind.Relu);
        feedForwardNorm = nn.LayerNorm(width);
        residualDropout = nn.Dropout(dropout);
        RegisterComponents();
    }

    /// <summary>Whether LayerNorm is applied to each sublayer's input (true) or to the residual sum (false, the paper).</summary>
    public bool PreNorm { get; }

    public MultiHeadAttention SelfAttention => selfAttention;

    public MultiHeadAttention CrossAttention => crossAttention;

    public FeedForward FeedForward => feedForward;

    /// <param name="x">(batch, target length, d_model)</param>
    /// <param name="memory">(batch, source length, d_model), the encoder's output.</param>
    /// <param name="targetMask">Boolean, true = may attend, broadcastable to (batch, heads, target, target): at least
    /// the causal mask, so that position t cannot read the token it is trained to predict.</param>
    /// <param name="memoryMask">Boolean, broadcastable to (batch, heads, target, source): the source's padding mask as
    /// (batch, 1, 1, source).</param>
    /// <returns>Output (batch, target length, d_model) and the cross-attention weights (batch, heads, target, source).</returns>
    public override (Tensor Output, Tensor CrossAttention) forward(Tensor x, Tensor memory, Tensor? targetMask, Tensor? memoryMask)
    {
        using var scope = NewDisposeScope();
        Tensor weights = null!;
        x = ResidualSublayer.Apply(x, selfAttentionNorm, PreNorm, h => selfAttention.forward(h, h, h, targetMask).Output, residualDropout);
        x = ResidualSublayer.Apply(x, crossAttentionNorm, PreNorm, h =>
        {
            var (attended, crossWeights) = crossAttention.forward(h, memory, memory, memoryMask);
            weights = crossWeights;
            return attended;
        }, residualDropout);
        x = ResidualSublayer.Apply(x, feedForwardNorm, PreNorm, feedForward.forward);
        return (x.MoveToOuterDisposeScope(), weights.MoveToOuterDisposeScope());
    }
}
