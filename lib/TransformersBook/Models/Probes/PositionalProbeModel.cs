using TorchSharp;
using TorchSharp.Modules;
using TransformersBook.Blocks;
using TransformersBook.Positional;
using static TorchSharp.torch;

namespace TransformersBook.Models;

/// <summary>
/// A small causal transformer that differs only in how it encodes positions, for comparing the schemes on one task:
/// token embeddings (plus sinusoidal or learned absolute positions, if chosen), pre-norm blocks whose attention applies
/// RoPE, a relative bias or ALiBi (if chosen), a final LayerNorm and an untied output layer giving logits over the
/// vocabulary at every position.
/// </summary>
public sealed class PositionalProbeModel : nn.Module<Tensor, Tensor>
{
    readonly Embedding tokenEmbedding;
    readonly LearnedPositionalEmbedding? learned;
    readonly SinusoidalPositionalEncoding? sinusoidal;
    readonly ModuleList<LayerNorm> attentionNorms;
    readonly ModuleList<PositionalProbeAttention> attentions;
    readonly ModuleList<LayerNorm> feedForwardNorms;
    readonly ModuleList<FeedForward> feedForwards;
    readonly LayerNorm finalNorm;
    readonly Linear head;

    /// <param name="config">Sizes and the position scheme.</param>
    public PositionalProbeModel(PositionalProbeConfig config) : base(nameof(PositionalProbeModel))
    {
        Config = config;
        tokenEmbedding = nn.Embedding(config.VocabularySize, config.Width);
        if (config.Scheme == PositionScheme.Learned) learned = new LearnedPositionalEmbedding(config.MaxLength, config.Width);
        if (config.Scheme == PositionScheme.Sinusoidal) sinusoidal = new SinusoidalPositionalEncoding(config.Width, config.MaxLength);
        var layers = Enumerable.Range(0, config.Layers).ToArray();
        attentionNorms = nn.ModuleList(layers.Select(_ => nn.LayerNorm(config.Width)).ToArray());
        attentions = nn.ModuleList(layers.Select(_ => new PositionalProbeAttention(config)).ToArray());
        feedForwardNorms = nn.ModuleList(layers.Select(_ => nn.LayerNorm(config.Width)).ToArray());
        feedForwards = nn.ModuleList(layers.Select(_ => new FeedForward(config.Width, 4 * config.Width)).ToArray());
        finalNorm = nn.LayerNorm(config.Width);
        head = nn.Linear(config.Width, config.VocabularySize);
        RegisterComponents();
    }

    /// <summary>The sizes and the scheme.</summary>
    public PositionalProbeConfig Config { get; }

    /// <summary>The learned position table (rows 0 … MaxLength − 1), or null for the other schemes.</summary>
    public LearnedPositionalEmbedding? LearnedPositions => learned;

    /// <summary>Logits over the vocabulary at every position.</summary>
    /// <param name="tokens">(batch, time) token ids, time ≤ MaxLength.</param>
    /// <returns>(batch, time, vocabulary)</returns>
    public override Tensor forward(Tensor tokens)
    {
        using var scope = NewDisposeScope();
        var x = Embed(tokens);
        for (int i = 0; i < Config.Layers; i++) x = Block(i, x);
        return head.forward(finalNorm.forward(x)).MoveToOuterDisposeScope();
    }

    /// <summary>Each head's attention weights in block <paramref name="layer"/> (from 0): (batch, heads, time, time).</summary>
    public Tensor HeadWeights(Tensor tokens, int layer)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(layer);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(layer, Config.Layers);
        using var scope = NewDisposeScope();
        var x = Embed(tokens);
        for (int i = 0; i < layer; i++) x = Block(i, x);
        return attentions[layer].Weights(attentionNorms[layer].forward(x)).MoveToOuterDisposeScope();
    }

    Tensor Embed(Tensor tokens)
    {
        if (tokens.shape[1] > Config.MaxLength)
            throw new ArgumentException($"a sequence of {tokens.shape[1]} tokens is longer than the model's {Config.MaxLength}.", nameof(tokens));
        var x = tokenEmbedding.forward(tokens);
        if (learned is not null) x = learned.forward(x);
        if (sinusoidal is not null) x = sinusoidal.forward(x);
        return x;
    }

    Tensor Block(int i, Tensor x)
    {
        x = x + attentions[i].forward(attentionNorms[i].forward(x));
        return x + feedForwards[i].forward(feedForwardNorms[i].forward(x));
    }
}
