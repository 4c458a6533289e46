using TorchSharp;
using TorchSharp.Modules;
using TransformersBook.Attention;
using static TorchSharp.torch;

namespace TransformersBook.Blocks;

/// <summary>
/// Flamingo's gated cross-attention layer (Alayrac et al., 2022), inserted between the blocks of a frozen language
/// model so that text can attend to image features: x ← x + tanh(α) · CrossAttention(LN(x), media), then
/// x ← x + tanh(β) · FFN(LN(x)). The gates α and β start at 0, so at initialisation the layer is the identity and the
/// frozen model's predictions are untouched; training opens the gates as far as the images help. Only these layers
/// (and whatever makes the media features) are trained.
/// </summary>
public sealed class GatedCrossAttentionBlock : nn.Module<Tensor, Tensor, Tensor>
{
    readonly Linear mediaProjection;
    readonly LayerNorm attentionNorm;
    readonly MultiHeadAttention crossAttention;
    readonly Parameter attentionGate;
    readonly LayerNorm feedForwardNorm;
    readonly FeedForward feedForward;
    readonly Parameter feedForwardGate;

    /// <param name="width">d, the language model's width.</param>
    /// <param name="mediaWidth">Width of the media features (image patches or resampled latents).</param>
    /// <param name="heads">Cross-attention heads.</param>
    public GatedCrossAttentionBlock(int width, int mediaWidth, int heads) : base(nameof(GatedCrossAttentionBlock))
    {
        mediaProjection = nn.Linear(mediaWidth, width);
        attentionNorm = nn.LayerNorm(width);
        crossAttention = new MultiHeadAttention(width, heads);
        attentionGate = nn.Parameter(zeros(1));
        feedForwardNorm = nn.LayerNorm(width);
        feedForward = new FeedForward(width, 4 * width);
        feedForwardGate = nn.Parameter(zeros(1));
        RegisterComponents();
    }

    /// <summary>tanh(α): how open the cross-attention path is (0 at initialisation).</summary>
    public double AttentionGate => Math.Tanh(attentionGate.item<float>());

    /// <summary>tanh(β): how open the feed-forward path is (0 at initialisation).</summary>
    public double FeedForwardGate => Math.Tanh(feedForwardGate.item<float>());

    /// <param name="text">(batch, T, width): the language model's hidden states.</param>
    /// <param name="media">(batch, M, mediaWidth): the image's features.</param>
    public override Tensor forward(Tensor text, Tensor media)
    {
        using var scope = NewDisposeScope();
        var keys = mediaProjection.forward(media);
        var (attended, _) = crossAttention.forward(attentionNorm.forward(text), keys, keys, null);
        var x = text + attentionGate.tanh() * attended;
        x = x + feedForwardGate.tanh() * feedForward.forward(feedForwardNorm.forward(x));
        return x.MoveToOuterDisposeScope();
    }
}
