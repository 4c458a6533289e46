using TorchSharp;
using TorchSharp.Modules;
using TransformersBook.Attention;
using static TorchSharp.torch;

namespace TransformersBook.Models;

/// <summary>
/// An encoder-only transformer for masked language modelling, in the layout of BERT (Devlin et al., 2019): token and
/// learned position embeddings followed by a LayerNorm, a stack of <see cref="EncoderLayer"/>s in which every position
/// attends to every other (no causal mask; only padding is hidden), and logits from the token embedding matrix reused
/// as the output layer plus a bias per token. BERT's segment embeddings, pooler and extra dense layer before the output
/// are left out: they serve next-sentence prediction and fine-tuning, not the bidirectional mask this model is about.
/// </summary>
public sealed class EncoderOnly : nn.Module<Tensor, Tensor>
{
    readonly Embedding tokenEmbedding;
    readonly Embedding positionEmbedding;
    readonly LayerNorm embeddingNorm;
    readonly Dropout embeddingDropout;
    readonly ModuleList<EncoderLayer> layers;
    readonly nn.Module<Tensor, Tensor> finalNorm;
    readonly Parameter outputBias;

    public EncoderOnly(EncoderOnlyConfig config) : base(nameof(EncoderOnly))
    {
        Config = config;
        tokenEmbedding = nn.Embedding(config.VocabularySize, config.Width);
        positionEmbedding = nn.Embedding(config.ContextLength, config.Width);
        embeddingNorm = nn.LayerNorm(config.Width);
        embeddingDropout = nn.Dropout(config.Dropout);
        layers = nn.ModuleList(Enumerable.Range(0, config.Layers)
            .Select(_ => new EncoderLayer(config.Width, config.Heads, config.FeedForwardWidth, config.Dropout, config.PreNorm)).ToArray());
        // Pre-norm layers add to an unnormalised residual stream, so the stack needs one last LayerNorm; post-norm layers end in one.
        finalNorm = config.PreNorm ? nn.LayerNorm(config.Width) : nn.Identity();
        outputBias = nn.Parameter(zeros(config.VocabularySize));
        RegisterComponents();
        Initialize();
    }

    public EncoderOnlyConfig Config { get; }

    public IReadOnlyList<EncoderLayer> Layers => layers.ToArray();

    /// <summary>
    /// Token and position embeddings N(0, 0.02) as in BERT; every other matrix Xavier-uniform (Glorot and Bengio, 2010);
    /// biases zero, LayerNorm gains one. BERT draws all matrices from N(0, 0.02), a scale chosen for H = 768, where a
    /// d × d product keeps a vector's size within a factor of two (0.02·√768 ≈ 0.55); at the widths of a notebook
    /// (d = 64: 0.02·8 = 0.16) every attention output would start shrunk by the square of that, and a masked position,
    /// which learns only through attention, would start from a signal too weak to learn from quickly.
    /// </summary>
    void Initialize()
    {
        using var noGrad = no_grad();
        foreach (var (name, parameter) in named_parameters())
        {
            if (name.StartsWith("tokenEmbedding", StringComparison.Ordinal) || name.StartsWith("positionEmbedding", StringComparison.Ordinal))
                nn.init.normal_(parameter, 0.0, 0.02);
            else if (parameter.dim() >= 2) nn.init.xavier_uniform_(parameter);
            else if (name.EndsWith("bias", StringComparison.OrdinalIgnoreCase)) nn.init.zeros_(parameter);
        }
    }

    /// <summary>The attention mask the encoder uses: every key that is not padding, for every query; with
    /// <see cref="EncoderOnlyConfig.Causal"/>, only the keys at or before the query as well.</summary>
    /// <param name="tokens">(batch, time) token ids.</param>
    /// <returns>(batch, 1, 1, time) boolean (or (batch, 1, time, time) when causal and padded; (time, time) when causal
    /// without padding), or null when the configuration has neither padding nor a causal mask.</returns>
    public Tensor? AttentionMask(Tensor tokens)
    {
        var padding = Config.PaddingId is long paddingId ? AttentionMasks.ForKeys(AttentionMasks.NotPadding(tokens, paddingId)) : null;
        if (!Config.Causal) return padding;
        var causal = AttentionMasks.Causal(tokens.shape[1], tokens.device);
        return padding is null ? causal : AttentionMasks.Combine(causal, padding);
    }

    /// <summary>The contextual vector of every position, each computed from the whole sequence.</summary>
    /// <param name="tokens">(batch, time) token ids, time ≤ n_ctx.</param>
    /// <returns>(batch, time, d_model)</returns>
    public Tensor Encode(Tensor tokens)
    {
        long time = tokens.shape[1];
        if (time > Config.ContextLength)
            throw new ArgumentException($"a sequence of {time} tokens is longer than the context of {Config.ContextLength}.", nameof(tokens));
        using var scope = NewDisposeScope();
        var mask = AttentionMask(tokens);
        var positions = arange(time, dtype: ScalarType.Int64, device: tokens.device);
        var x = embeddingDropout.forward(embeddingNorm.forward(tokenEmbedding.forward(tokens) + positionEmbedding.forward(positions)));
        foreach (var layer in layers) x = layer.forward(x, mask);
        return finalNorm.forward(x).MoveToOuterDisposeScope();
    }

    /// <summary>Logits for the token at every position (the masked ones are those the objective asks about).</summary>
    /// <param name="tokens">(batch, time) token ids.</param>
    /// <returns>(batch, time, n_vocab)</returns>
    public override Tensor forward(Tensor tokens)
    {
        using var scope = NewDisposeScope();
        return nn.functional.linear(Encode(tokens), tokenEmbedding.weight!, outputBias).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The masked-language-model loss: mean cross-entropy over the positions whose target is a token id, ignoring those
    /// whose target is <paramref name="ignoreIndex"/> (BERT predicts only the ≈15 % of positions it corrupted).
    /// </summary>
    /// <param name="tokens">(batch, time) the corrupted input.</param>
    /// <param name="targets">(batch, time) the original token where a prediction is asked for, else <paramref name="ignoreIndex"/>.</param>
    /// <param name="ignoreIndex">The target value that means "no prediction here".</param>
    public Tensor Loss(Tensor tokens, Tensor targets, long ignoreIndex = -100)
    {
        using var scope = NewDisposeScope();
        var logits = forward(tokens);
        return nn.functional.cross_entropy(logits.view(-1, logits.shape[2]), targets.view(-1), ignore_index: ignoreIndex).MoveToOuterDisposeScope();
    }
}
