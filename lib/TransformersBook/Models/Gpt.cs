using TorchSharp;
using TorchSharp.Modules;
using TransformersBook.Blocks;
using TransformersBook.Training;
using static TorchSharp.torch;

namespace TransformersBook.Models;

/// <summary>
/// A decoder-only transformer language model in the GPT-2 layout (Radford et al., 2019): token and learned position
/// embeddings, a stack of pre-norm decoder blocks, a final LayerNorm, and logits from the token embedding matrix
/// reused as the output layer (Press and Wolf, 2017).
/// </summary>
public sealed class Gpt : nn.Module<Tensor, Tensor>
{
    readonly Embedding tokenEmbedding;
    readonly Embedding positionEmbedding;
    readonly Dropout embeddingDropout;
    readonly ModuleList<PreNormDecoderBlock> blocks;
    readonly LayerNorm finalNorm;

    public Gpt(GptConfig config) : base(nameof(Gpt))
    {
        Config = config;
        tokenEmbedding = nn.Embedding(config.VocabularySize, config.Width);
        positionEmbedding = nn.Embedding(config.ContextLength, config.Width);
        embeddingDropout = nn.Dropout(config.Dropout);
        blocks = nn.ModuleList(Enumerable.Range(0, config.Layers).Select(_ => new PreNormDecoderBlock(config.Width, config.Heads, config.Dropout, feedForwardKind: config.FeedForwardKind)).ToArray());
        finalNorm = nn.LayerNorm(config.Width);
        RegisterComponents();
        Initialize();
    }

    public GptConfig Config { get; }

    public IReadOnlyList<PreNormDecoderBlock> Blocks => blocks.ToArray();

    /// <summary>GPT-2's initialisation (<see cref="Gpt2Initialization"/>): attention and feed-forward output projections are the residual ones.</summary>
    void Initialize() => Gpt2Initialization.Apply(this, Config.Layers,
        blocks.SelectMany(block => new[] { block.Attention.OutputProjection, block.FeedForwardOutputProjection }));

    /// <summary>Logits for the next token at every position.</summary>
    /// <param name="tokens">(batch, time) token ids, time ≤ n_ctx.</param>
    /// <returns>(batch, time, n_vocab)</returns>
    public override Tensor forward(Tensor tokens)
    {
        using var scope = NewDisposeScope();
        return Logits(Features(tokens)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The final-normed hidden state at every position, before the output layer. A loss on a few positions (an
    /// answer after a long prompt) can project only those with <see cref="Logits"/> and skip the vocabulary-wide
    /// matrix product everywhere else.
    /// </summary>
    /// <param name="tokens">(batch, time) token ids, time ≤ n_ctx.</param>
    /// <returns>(batch, time, width)</returns>
    public Tensor Features(Tensor tokens)
    {
        using var scope = NewDisposeScope();
        var x = Embed(tokens);
        foreach (var block in blocks) x = block.forward(x);
        return finalNorm.forward(x).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The residual stream before the first block: token plus position embeddings (with embedding dropout). With
    /// <see cref="Blocks"/> and <see cref="FinalNorm"/> it lets a model insert its own layers between the blocks, as
    /// Flamingo inserts gated cross-attention into a frozen language model.
    /// </summary>
    /// <param name="tokens">(batch, time) token ids, time ≤ n_ctx.</param>
    /// <returns>(batch, time, width)</returns>
    public Tensor Embed(Tensor tokens)
    {
        long time = tokens.shape[1];
        if (time > Config.ContextLength)
            throw new ArgumentException($"a sequence of {time} tokens is longer than the context of {Config.ContextLength}.", nameof(tokens));
        using var scope = NewDisposeScope();
        var positions = arange(time, dtype: ScalarType.Int64, device: tokens.device);
        return embeddingDropout.forward(tokenEmbedding.forward(tokens) + positionEmbedding.forward(positions)).MoveToOuterDisposeScope();
    }

    /// <summary>The token embedding, which is also the output layer (weight tying).</summary>
    public Embedding TokenEmbedding => tokenEmbedding;

    /// <summary>The learned position embedding, one row per position up to n_ctx.</summary>
    public Embedding PositionEmbedding => positionEmbedding;

    /// <summary>The LayerNorm after the last block, applied before <see cref="Logits"/>.</summary>
    public LayerNorm FinalNorm => finalNorm;

    /// <summary>Logits from hidden states of any leading shape (…, width): the tied token embedding as output layer.</summary>
    public Tensor Logits(Tensor features) => nn.functional.linear(features, tokenEmbedding.weight!);

    /// <summary>Mean cross-entropy of predicting <paramref name="targets"/> (the inputs shifted by one) from <paramref name="tokens"/>.</summary>
    public Tensor Loss(Tensor tokens, Tensor targets)
    {
        using var scope = NewDisposeScope();
        return Losses.TokenCrossEntropy(forward(tokens), targets).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Extends each sequence by sampling one token at a time from softmax(logits / temperature), optionally only
    /// among the <paramref name="topK"/> most likely; the context is cropped to the last n_ctx tokens.
    /// </summary>
    public Tensor Generate(Tensor tokens, int newTokens, double temperature = 1.0, int? topK = null, Generator? generator = null)
    {
        if (temperature <= 0) throw new ArgumentOutOfRangeException(nameof(temperature), "temperature must be positive.");
        bool wasTraining = training;
        eval();
        try
        {
            using var noGrad = no_grad();
            var sequence = tokens.alias();
            for (int i = 0; i < newTokens; i++)
            {
                using var scope = NewDisposeScope();
                var context = sequence.shape[1] <= Config.ContextLength ? sequence : sequence.narrow(1, sequence.shape[1] - Config.ContextLength, Config.ContextLength);
                var next = TokenSampler.Sample(forward(context).select(1, -1), temperature, topK, generator);
                var extended = cat(new[] { sequence, next }, dim: 1).MoveToOuterDisposeScope();
                sequence.Dispose();
                sequence = extended;
            }
            return sequence;
        }
        finally
        {
            train(wasTraining);
        }
    }
}
