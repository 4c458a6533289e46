using TorchSharp;
using TorchSharp.Modules;
using TransformersBook.Training;
using static TorchSharp.torch;

namespace TransformersBook.Models;

/// <summary>
/// The skeleton the book's decoder-only language models share: a token embedding (plus learned positions, if the
/// model has a context length), embedding dropout, a stack of blocks, a final LayerNorm, and logits from the token
/// embedding reused as the output layer (Press and Wolf, 2017). A model supplies its blocks; <see cref="Gpt"/>,
/// <see cref="MoeGpt"/>, <see cref="DeepStackLanguageModel"/> and <see cref="StateSpaceLanguageModel"/> differ only there.
/// </summary>
/// <remarks>
/// The submodules keep GPT-2's names (<c>tokenEmbedding</c>, <c>positionEmbedding</c>, <c>embeddingDropout</c>,
/// <c>blocks</c>, <c>finalNorm</c>) and are created and registered in that order, so a seed gives the same weights
/// as before the skeleton existed and a chapter's own from-scratch model loads with <c>load_state_dict</c>.
/// </remarks>
/// <typeparam name="TBlock">The block the stack repeats.</typeparam>
public abstract class DecoderLanguageModel<TBlock> : nn.Module<Tensor, Tensor> where TBlock : nn.Module<Tensor, Tensor>
{
    readonly Embedding tokenEmbedding;
    readonly Embedding? positionEmbedding;
    readonly Dropout? embeddingDropout;
    readonly ModuleList<TBlock> blocks;
    readonly LayerNorm finalNorm;

    /// <param name="name">The module's name.</param>
    /// <param name="vocabularySize">n_vocab.</param>
    /// <param name="width">d_model.</param>
    /// <param name="layers">How many blocks.</param>
    /// <param name="contextLength">n_ctx for learned positions, or null for a model without position embeddings.</param>
    /// <param name="embeddingDropout">Dropout on the embeddings, or null for none (not even a module).</param>
    /// <param name="block">Makes block i (from 0).</param>
    protected DecoderLanguageModel(string name, int vocabularySize, int width, int layers, int? contextLength, double? embeddingDropout, Func<int, TBlock> block)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(block);
        ContextLength = contextLength;
        tokenEmbedding = nn.Embedding(vocabularySize, width);
        if (contextLength is int positions) positionEmbedding = nn.Embedding(positions, width);
        if (embeddingDropout is double p) this.embeddingDropout = nn.Dropout(p);
        blocks = nn.ModuleList(Enumerable.Range(0, layers).Select(block).ToArray());
        finalNorm = nn.LayerNorm(width);
        // Registered by hand, in creation order: RegisterComponents would not see a base class's private fields.
        register_module(nameof(tokenEmbedding), tokenEmbedding);
        if (positionEmbedding is not null) register_module(nameof(positionEmbedding), positionEmbedding);
        if (this.embeddingDropout is not null) register_module(nameof(embeddingDropout), this.embeddingDropout);
        register_module(nameof(blocks), blocks);
        register_module(nameof(finalNorm), finalNorm);
    }

    /// <summary>n_ctx, the longest sequence the position table covers; null for a model without one (any length).</summary>
    public int? ContextLength { get; }

    /// <summary>The blocks, first (next to the embeddings) to last.</summary>
    public IReadOnlyList<TBlock> Blocks => blocks.ToArray();

    /// <summary>The LayerNorm after the last block, applied before <see cref="Logits"/>.</summary>
    public LayerNorm FinalNorm => finalNorm;

    /// <summary>The blocks as the module list, for a model's own loop over them.</summary>
    protected ModuleList<TBlock> BlockList => blocks;

    /// <summary>Logits for the next token at every position: embeddings, every block, final norm, tied output layer.</summary>
    /// <param name="tokens">(batch, time) token ids, time ≤ n_ctx where the model has one.</param>
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
    /// <param name="tokens">(batch, time) token ids, time ≤ n_ctx where the model has one.</param>
    /// <returns>(batch, time, width)</returns>
    public Tensor Features(Tensor tokens)
    {
        using var scope = NewDisposeScope();
        var x = Embed(tokens);
        foreach (var block in blocks) x = block.forward(x);
        return finalNorm.forward(x).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The residual stream before the first block: token plus position embeddings, with embedding dropout. With
    /// <see cref="Blocks"/> and <see cref="FinalNorm"/> it lets a model insert its own layers between the blocks, as
    /// Flamingo inserts gated cross-attention into a frozen language model.
    /// </summary>
    /// <param name="tokens">(batch, time) token ids, time ≤ n_ctx where the model has one.</param>
    /// <returns>(batch, time, width)</returns>
    public Tensor Embed(Tensor tokens)
    {
        long time = tokens.shape[1];
        if (time > ContextLength)
            throw new ArgumentException($"a sequence of {time} tokens is longer than the context of {ContextLength}.", nameof(tokens));
        using var scope = NewDisposeScope();
        var x = tokenEmbedding.forward(tokens);
        if (positionEmbedding is not null) x = x + positionEmbedding.forward(arange(time, dtype: ScalarType.Int64, device: tokens.device));
        if (embeddingDropout is not null) x = embeddingDropout.forward(x);
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>The token embedding, which is also the output layer (weight tying).</summary>
    public Embedding TokenEmbedding => tokenEmbedding;

    /// <summary>The learned position embedding, one row per position up to n_ctx; null for a model without one.</summary>
    public Embedding? PositionEmbedding => positionEmbedding;

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
    /// among the <paramref name="topK"/> most likely (<see cref="TokenSampler"/>); the whole context is recomputed
    /// for every token and cropped to the last n_ctx tokens.
    /// </summary>
    /// <param name="tokens">(batch, time) prompt ids.</param>
    /// <param name="newTokens">How many tokens to add.</param>
    /// <param name="temperature">Divides the logits; must be positive.</param>
    /// <param name="topK">Sample only among the k most likely tokens, or null for all.</param>
    /// <param name="generator">The random stream to draw from, or null for torch's global one.</param>
    /// <returns>(batch, time + newTokens)</returns>
    public virtual Tensor Generate(Tensor tokens, int newTokens, double temperature = 1.0, int? topK = null, Generator? generator = null)
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
                var context = ContextLength is int n && sequence.shape[1] > n ? sequence.narrow(1, sequence.shape[1] - n, n) : sequence;
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
