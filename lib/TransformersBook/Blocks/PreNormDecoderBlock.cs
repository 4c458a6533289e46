using TorchSharp;
using TorchSharp.Modules;
using TransformersBook.Attention;
using static TorchSharp.torch;

namespace TransformersBook.Blocks;

/// <summary>
/// A GPT-2 decoder block: pre-norm residual sublayers, x + Attention(LN(x)) then x + FFN(LN(x)).
/// Normalising the sublayer input rather than the sum (Xiong et al., 2020) keeps deep stacks trainable without warmup.
/// </summary>
public sealed class PreNormDecoderBlock : nn.Module<Tensor, Tensor>
{
    readonly LayerNorm attentionNorm;
    readonly CausalSelfAttention attention;
    readonly LayerNorm feedForwardNorm;
    readonly FeedForward feedForward;

    public PreNormDecoderBlock(int width, int heads, double dropout = 0.0, bool bias = true) : base(nameof(PreNormDecoderBlock))
    {
        attentionNorm = nn.LayerNorm(width);
        attention = new CausalSelfAttention(width, heads, dropout, bias);
        feedForwardNorm = nn.LayerNorm(width);
        feedForward = new FeedForward(width, 4 * width, dropout, bias);
        RegisterComponents();
    }

    public CausalSelfAttention Attention => attention;

    public FeedForward FeedForward => feedForward;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        x = x + attention.forward(attentionNorm.forward(x));
        x = x + feedForward.forward(feedForwardNorm.forward(x));
        return x.MoveToOuterDisposeScope();
    }
}
