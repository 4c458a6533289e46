using TorchSharp;
using TorchSharp.Modules;
using TransformersBook.Attention;
using TransformersBook.Positional;
using static TorchSharp.torch;

namespace TransformersBook.Models;

/// <summary>
/// The encoder-decoder transformer of Vaswani et al. (2017), "Attention Is All You Need": token embeddings scaled by
/// √d_model plus sinusoidal positions, a stack of encoder layers over the source, a stack of decoder layers that attend
/// causally to the target so far and across to the encoder's output, and a linear layer to target-vocabulary logits.
/// Separate source and target embeddings and an untied output layer keep it general (the paper shares all three for
/// its joint BPE vocabulary).
/// </summary>
public sealed class TransformerSeq2Seq : nn.Module<Tensor, Tensor, Tensor>
{
    readonly Embedding sourceEmbedding;
    readonly Embedding targetEmbedding;
    readonly SinusoidalPositionalEncoding sourcePositions;
    readonly SinusoidalPositionalEncoding targetPositions;
    readonly ModuleList<EncoderLayer> encoder;
    readonly ModuleList<DecoderLayer> decoder;
    readonly nn.Module<Tensor, Tensor> encoderNorm;
    readonly nn.Module<Tensor, Tensor> decoderNorm;
    readonly Linear outputLayer;
    readonly double embeddingScale;

    public TransformerSeq2Seq(TransformerSeq2SeqConfig config) : base(nameof(TransformerSeq2Seq))
    {
        Config = config;
        embeddingScale = Math.Sqrt(config.Width);
        sourceEmbedding = nn.Embedding(config.SourceVocabularySize, config.Width);
        targetEmbedding = nn.Embedding(config.TargetVocabularySize, config.Width);
        sourcePositions = new SinusoidalPositionalEncoding(config.Width, config.MaxLength, config.Dropout);
        targetPositions = new SinusoidalPositionalEncoding(config.Width, config.MaxLength, config.Dropout);
        encoder = nn.ModuleList(Enumerable.Range(0, config.EncoderLayers)
            .Select(_ => new EncoderLayer(config.Width, config.Heads, config.FeedForwardWidth, config.Dropout, config.PreNorm)).ToArray());
        decoder = nn.ModuleList(Enumerable.Range(0, config.DecoderLayers)
            .Select(_ => new DecoderLayer(config.Width, config.Heads, config.FeedForwardWidth, config.Dropout, config.PreNorm)).ToArray());
        // Pre-norm stacks add every sublayer to an unnormalised residual stream, so their output needs one last LayerNorm;
        // post-norm layers already end in one.
        encoderNorm = config.PreNorm ? nn.LayerNorm(config.Width) : nn.Identity();
        decoderNorm = config.PreNorm ? nn.LayerNorm(config.Width) : nn.Identity();
        outputLayer = nn.Linear(config.Width, config.TargetVocabularySize);
        RegisterComponents();
        Initialize();
    }

    public TransformerSeq2SeqConfig Config { get; }

    public IReadOnlyList<EncoderLayer> EncoderLayers => encoder.ToArray();

    public IReadOnlyList<DecoderLayer> DecoderLayers => decoder.ToArray();

    /// <summary>
    /// Xavier-uniform weights (Glorot and Bengio, 2010) for every matrix, as in the Annotated Transformer; the paper does
    /// not say. It keeps the embeddings small enough that, scaled by √d_model, they stay comparable to the positional
    /// encodings in [−1, 1].
    /// </summary>
    void Initialize()
    {
        using var noGrad = no_grad();
        foreach (var (_, parameter) in named_parameters())
            if (parameter.dim() > 1) nn.init.xavier_uniform_(parameter);
    }

    /// <summary>True at source positions that hold real tokens (not <see cref="TransformerSeq2SeqConfig.PaddingId"/>).</summary>
    /// <returns>(batch, source length), boolean.</returns>
    public Tensor SourceKeep(Tensor source) => AttentionMasks.NotPadding(source, Config.PaddingId);

    /// <summary>Runs the encoder.</summary>
    /// <param name="source">(batch, source length) token ids.</param>
    /// <param name="sourceKeep">(batch, source length), true at real tokens; padded positions are never attended to.</param>
    /// <returns>The memory, (batch, source length, d_model).</returns>
    public Tensor Encode(Tensor source, Tensor sourceKeep)
    {
        CheckLength(source, nameof(source));
        using var scope = NewDisposeScope();
        var mask = AttentionMasks.ForKeys(sourceKeep);
        var x = sourcePositions.forward(sourceEmbedding.forward(source) * embeddingScale);
        foreach (var layer in encoder) x = layer.forward(x, mask);
        return encoderNorm.forward(x).MoveToOuterDisposeScope();
    }

    /// <summary>Runs the decoder on a target prefix.</summary>
    /// <param name="targetInput">(batch, target length) token ids, beginning with the start token.</param>
    /// <param name="memory">The encoder's output for the same batch.</param>
    /// <param name="sourceKeep">(batch, source length), true at real source tokens.</param>
    /// <returns>Logits (batch, target length, target vocabulary) for the token after each position, and the last
    /// decoder layer's cross-attention (batch, heads, target length, source length).</returns>
    /// <remarks>Targets are right-padded, so the causal mask alone keeps every real position from reading padding;
    /// outputs at padded positions are ignored by the loss.</remarks>
    public (Tensor Logits, Tensor CrossAttention) Decode(Tensor targetInput, Tensor memory, Tensor sourceKeep)
    {
        CheckLength(targetInput, nameof(targetInput));
        using var scope = NewDisposeScope();
        var causal = AttentionMasks.Causal(targetInput.shape[1], targetInput.device);
        var memoryMask = AttentionMasks.ForKeys(sourceKeep);
        var x = targetPositions.forward(targetEmbedding.forward(targetInput) * embeddingScale);
        Tensor? crossAttention = null;
        foreach (var layer in decoder) (x, crossAttention) = layer.forward(x, memory, causal, memoryMask);
        var logits = outputLayer.forward(decoderNorm.forward(x));
        crossAttention ??= zeros(targetInput.shape[0], Config.Heads, targetInput.shape[1], memory.shape[1], device: memory.device);
        return (logits.MoveToOuterDisposeScope(), crossAttention.MoveToOuterDisposeScope());
    }

    /// <summary>Teacher-forced logits: the decoder sees the true target prefix at every position.</summary>
    /// <param name="source">(batch, source length) token ids, padded with <see cref="TransformerSeq2SeqConfig.PaddingId"/>.</param>
    /// <param name="targetInput">(batch, target length): the start token followed by the target without its last token.</param>
    /// <returns>(batch, target length, target vocabulary)</returns>
    public override Tensor forward(Tensor source, Tensor targetInput)
    {
        using var scope = NewDisposeScope();
        var keep = SourceKeep(source);
        return Decode(targetInput, Encode(source, keep), keep).Logits.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Greedy decoding: encode once, then repeatedly append the most likely next token until every sequence has produced
    /// <paramref name="endId"/> or <paramref name="maxTokens"/> tokens were generated. The prefix is re-decoded at each
    /// step (no KV cache), which is simple and fine for short outputs.
    /// </summary>
    /// <param name="source">(batch, source length) token ids.</param>
    /// <param name="startId">The token every target begins with.</param>
    /// <param name="endId">The token that ends a target; later positions are filled with padding.</param>
    /// <param name="maxTokens">At most this many tokens are generated (≤ MaxLength).</param>
    /// <param name="sourceKeep">(batch, source length), true at real tokens; by default, source tokens that are not padding.</param>
    public GreedyDecoding GreedyDecode(Tensor source, long startId, long endId, int maxTokens, Tensor? sourceKeep = null)
    {
        if (maxTokens < 1 || maxTokens > Config.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(maxTokens), $"between 1 and the model's {Config.MaxLength} positions.");
        bool wasTraining = training;
        eval();
        try
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            var keep = sourceKeep ?? SourceKeep(source);
            var memory = Encode(source, keep);
            var tokens = full(source.shape[0], 1, startId, dtype: ScalarType.Int64, device: source.device);
            var finished = zeros(source.shape[0], dtype: ScalarType.Bool, device: source.device);
            Tensor crossAttention = null!;
            for (int step = 0; step < maxTokens; step++)
            {
                var (logits, weights) = Decode(tokens, memory, keep);
                crossAttention = weights;
                var next = logits.select(1, logits.shape[1] - 1).argmax(-1);
                next = where(finished, full_like(next, Config.PaddingId), next);
                tokens = cat(new[] { tokens, next.unsqueeze(1) }, dim: 1);
                finished = finished.logical_or(next == endId);
                if (finished.all().item<bool>()) break;
            }
            return new GreedyDecoding(tokens.MoveToOuterDisposeScope(), crossAttention.MoveToOuterDisposeScope());
        }
        finally
        {
            train(wasTraining);
        }
    }

    void CheckLength(Tensor tokens, string name)
    {
        if (tokens.shape[1] > Config.MaxLength)
            throw new ArgumentException($"a sequence of {tokens.shape[1]} tokens is longer than the model's {Config.MaxLength} positions.", name);
    }
}
