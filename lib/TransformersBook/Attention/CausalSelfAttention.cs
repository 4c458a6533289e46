using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TransformersBook.Attention;

/// <summary>
/// Multi-head self-attention in which position t attends only to positions ≤ t (the decoder's masked attention of
/// Vaswani et al., 2017): softmax(QKᵀ/√d_k + M)V per head, with M = −∞ above the diagonal. One linear layer makes
/// Q, K and V for all heads at once; the heads' outputs are concatenated and projected back to the model width.
/// </summary>
public sealed class CausalSelfAttention : nn.Module<Tensor, Tensor>
{
    readonly Linear qkv;
    readonly Linear output;
    readonly Dropout residualDropout;
    readonly int heads;
    readonly double attentionDropout;

    public CausalSelfAttention(int width, int heads, double dropout = 0.0, bool bias = true) : base(nameof(CausalSelfAttention))
    {
        if (width % heads != 0) throw new ArgumentException($"width {width} is not divisible by {heads} heads.", nameof(heads));
        this.heads = heads;
        attentionDropout = dropout;
        qkv = nn.Linear(width, 3 * width, hasBias: bias);
        output = nn.Linear(width, width, hasBias: bias);
        residualDropout = nn.Dropout(dropout);
        RegisterComponents();
    }

    /// <summary>The projection back onto the residual stream (GPT-2 scales its initialisation by 1/√(2·layers)).</summary>
    public Linear OutputProjection => output;

    /// <summary>The one linear layer that makes queries, keys and values for all heads: (width) → (3·width), in that order.</summary>
    public Linear QkvProjection => qkv;

    /// <summary>Attention heads h; each has d_k = width / h.</summary>
    public int Heads => heads;

    /// <param name="x">(batch, time, width)</param>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], t = x.shape[1], c = x.shape[2];
        var qkvSplit = qkv.forward(x).split(c, dim: 2);
        // (B, T, C) → (B, heads, T, head size)
        Tensor Heads(Tensor z) => z.view(b, t, heads, c / heads).transpose(1, 2);
        var y = nn.functional.scaled_dot_product_attention(
            Heads(qkvSplit[0]), Heads(qkvSplit[1]), Heads(qkvSplit[2]),
            p: training ? attentionDropout : 0.0, is_casual: true);
        y = y.transpose(1, 2).contiguous().view(b, t, c);
        return residualDropout.forward(output.forward(y)).MoveToOuterDisposeScope();
    }
}
