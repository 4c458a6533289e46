using TorchSharp;
using TorchSharp.Modules;
using TransformersBook.Attention;
using static TorchSharp.torch;

namespace TransformersBook.Blocks;

/// <summary>
/// A pre-norm encoder block, x + MHA(LN(x)) then x + FFN(LN(x)), whose attention is either softmax attention under a
/// fixed boolean pattern (full, sliding window, window + global tokens, BigBird: all are masks) or the linear attention
/// of Katharopoulos et al. (2020). It lets one model compare attention patterns with everything else held equal.
/// </summary>
public sealed class SparseAttentionEncoderBlock : nn.Module<Tensor, Tensor>
{
    readonly LayerNorm attentionNorm;
    readonly Linear queryKeyValue;
    readonly Linear outputProjection;
    readonly LayerNorm feedForwardNorm;
    readonly FeedForward feedForward;
    readonly Tensor keep;
    readonly int heads;
    readonly bool linear;

    /// <param name="width">Model width d; a multiple of <paramref name="heads"/>.</param>
    /// <param name="heads">Attention heads.</param>
    /// <param name="keep">(n, n) boolean pattern, true = may attend; ignored when <paramref name="linear"/>.</param>
    /// <param name="linear">Use elu + 1 linear attention (which sees every key) instead of masked softmax attention.</param>
    public SparseAttentionEncoderBlock(int width, int heads, Tensor keep, bool linear = false) : base(nameof(SparseAttentionEncoderBlock))
    {
        if (width % heads != 0) throw new ArgumentException($"the width {width} must be a multiple of the {heads} heads.", nameof(heads));
        this.heads = heads;
        this.linear = linear;
        this.keep = keep.to_type(ScalarType.Bool).clone();
        attentionNorm = nn.LayerNorm(width);
        queryKeyValue = nn.Linear(width, 3 * width);
        outputProjection = nn.Linear(width, width);
        feedForwardNorm = nn.LayerNorm(width);
        feedForward = new FeedForward(width, 4 * width);
        RegisterComponents();
    }

    /// <summary>(batch, n, d) → (batch, n, d).</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long batch = x.shape[0], n = x.shape[1], width = x.shape[2];
        var qkv = queryKeyValue.forward(attentionNorm.forward(x)).reshape(batch, n, 3, heads, width / heads).permute(2, 0, 3, 1, 4);
        var (q, k, v) = (qkv[0], qkv[1], qkv[2]);                                   // (batch, heads, n, d_head)
        var attended = linear
            ? LinearAttention.Compute(q, k, v)
            : ScaledDotProductAttention.Compute(q, k, v, mask: keep.to(x.device)).Output;
        x = x + outputProjection.forward(attended.transpose(1, 2).reshape(batch, n, width));
        x = x + feedForward.forward(feedForwardNorm.forward(x));
        return x.MoveToOuterDisposeScope();
    }
}
