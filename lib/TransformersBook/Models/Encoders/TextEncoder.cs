using TorchSharp;
using TorchSharp.Modules;
using TransformersBook.Attention;
using TransformersBook.Positional;
using static TorchSharp.torch;

namespace TransformersBook.Models;

/// <summary>
/// A small bidirectional transformer over caption tokens: token embeddings plus learned positions, pre-norm
/// <see cref="EncoderLayer"/>s that hide padding, a final LayerNorm, and the output at position 0 (a [CLS] token the
/// caption starts with) as the caption's vector. CLIP's text encoder is causal and reads the [EOS] token instead
/// (Radford et al., 2021); with a bidirectional encoder the first token sees the whole caption just as well.
/// </summary>
public sealed class TextEncoder : nn.Module<Tensor, Tensor>
{
    readonly Embedding tokenEmbedding;
    readonly LearnedPositionalEmbedding positions;
    readonly ModuleList<EncoderLayer> layers;
    readonly LayerNorm finalNorm;

    /// <param name="config">The sizes.</param>
    public TextEncoder(TextEncoderConfig config) : base(nameof(TextEncoder))
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        tokenEmbedding = nn.Embedding(config.VocabularySize, config.Width);
        using (no_grad()) nn.init.normal_(tokenEmbedding.weight!, 0.0, 0.02);
        positions = new LearnedPositionalEmbedding(config.ContextLength, config.Width);
        layers = nn.ModuleList(Enumerable.Range(0, config.Layers)
            .Select(_ => new EncoderLayer(config.Width, config.Heads, config.FeedForwardWidth, config.Dropout, preNorm: true)).ToArray());
        finalNorm = nn.LayerNorm(config.Width);
        RegisterComponents();
    }

    /// <summary>The sizes.</summary>
    public TextEncoderConfig Config { get; }

    /// <summary>Every token's output, (B, T) → (B, T, d_model); padding is attended to by no position.</summary>
    public Tensor Encode(Tensor tokens)
    {
        using var scope = NewDisposeScope();
        var mask = AttentionMasks.ForKeys(AttentionMasks.NotPadding(tokens, Config.PaddingId));
        var x = positions.forward(tokenEmbedding.forward(tokens));
        foreach (var layer in layers) x = layer.forward(x, mask);
        return finalNorm.forward(x).MoveToOuterDisposeScope();
    }

    /// <summary>The token embedding matrix, (vocabulary, d_model): row v is the vector of token v.</summary>
    public Tensor TokenEmbeddings => tokenEmbedding.weight!;

    /// <summary>The token vectors of <paramref name="tokens"/> before positions are added: (B, T) → (B, T, d_model).</summary>
    public Tensor Embed(Tensor tokens) => tokenEmbedding.forward(tokens);

    /// <summary>
    /// <see cref="Encode"/> from token vectors given directly (for gradients with respect to the input vectors, as in
    /// HotFlip): the same computation as <c>Encode(tokens)</c> when <paramref name="embedded"/> is <c>Embed(tokens)</c>.
    /// </summary>
    /// <param name="embedded">(B, T, d_model) token vectors.</param>
    /// <param name="tokens">(B, T) token ids, read only for the padding mask.</param>
    public Tensor EncodeEmbedded(Tensor embedded, Tensor tokens)
    {
        using var scope = NewDisposeScope();
        var mask = AttentionMasks.ForKeys(AttentionMasks.NotPadding(tokens, Config.PaddingId));
        var x = positions.forward(embedded);
        foreach (var layer in layers) x = layer.forward(x, mask);
        return finalNorm.forward(x).MoveToOuterDisposeScope();
    }

    /// <summary>One vector per caption, the output at position 0: (B, T) → (B, d_model).</summary>
    public override Tensor forward(Tensor tokens)
    {
        using var scope = NewDisposeScope();
        return Encode(tokens).select(1, 0).MoveToOuterDisposeScope();
    }
}
