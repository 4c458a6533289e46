using TorchSharp;
using TorchSharp.Modules;
using TransformersBook.Attention;
using static TorchSharp.torch;

namespace TransformersBook.Models;

/// <summary>
/// A GRU encoder-decoder. The encoder reads the source into states h_1 … h_S. The decoder starts from
/// s_0 = tanh(W_init h_S) and at step i reads the previous token y_{i−1} and a context c_i:
/// s_i = GRU([E y_{i−1}; c_i], s_{i−1}), and predicts y_i from [s_i; c_i]. Without attention c_i = h_S at every step,
/// the fixed-length summary of Cho et al. (2014); with attention c_i = Σ_j α_ij h_j, where α_i = softmax_j of the
/// additive score vᵀ tanh(W s_{i−1} + U h_j) of Bahdanau et al. (2015). Everything else is identical, so comparing the
/// two isolates what attention adds.
/// </summary>
/// <remarks>
/// Simplifications of Bahdanau et al.: a unidirectional encoder (the paper's is bidirectional), and a linear output
/// layer on [s_i; c_i] instead of a maxout layer on s_{i−1}, E y_{i−1} and c_i.
/// </remarks>
public sealed class GruSeq2Seq : nn.Module<Tensor, Tensor, Tensor>
{
    readonly Embedding sourceEmbedding;
    readonly Embedding targetEmbedding;
    readonly GRU encoder;
    readonly Linear initialState;
    readonly GRUCell decoderCell;
    readonly AdditiveAttention? attention;
    readonly Linear outputLayer;

    public GruSeq2Seq(GruSeq2SeqConfig config) : base(nameof(GruSeq2Seq))
    {
        Config = config;
        sourceEmbedding = nn.Embedding(config.SourceVocabularySize, config.EmbeddingSize);
        targetEmbedding = nn.Embedding(config.TargetVocabularySize, config.EmbeddingSize);
        encoder = nn.GRU(config.EmbeddingSize, config.HiddenSize, batchFirst: true);
        initialState = nn.Linear(config.HiddenSize, config.HiddenSize);
        decoderCell = nn.GRUCell(config.EmbeddingSize + config.HiddenSize, config.HiddenSize);
        if (config.UseAttention) attention = new AdditiveAttention(config.HiddenSize, config.HiddenSize, config.ScoringSize);
        outputLayer = nn.Linear(2 * config.HiddenSize, config.TargetVocabularySize);
        RegisterComponents();
    }

    /// <summary>The sizes this model was built with.</summary>
    public GruSeq2SeqConfig Config { get; }

    /// <summary>E for the source tokens.</summary>
    public Embedding SourceEmbedding => sourceEmbedding;

    /// <summary>E for the target tokens.</summary>
    public Embedding TargetEmbedding => targetEmbedding;

    /// <summary>The encoder's GRU (batch first); its parameters are weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0.</summary>
    public GRU Encoder => encoder;

    /// <summary>W_init: s_0 = tanh(W_init h_S + b).</summary>
    public Linear InitialState => initialState;

    /// <summary>The decoder's GRU cell, input [E y_{i−1}; c_i].</summary>
    public GRUCell DecoderCell => decoderCell;

    /// <summary>The additive scoring network, or null without attention.</summary>
    public AdditiveAttention? Attention => attention;

    /// <summary>Logits of y_i from [s_i; c_i].</summary>
    public Linear OutputLayer => outputLayer;

    /// <summary>Runs the encoder.</summary>
    /// <param name="source">(batch, source length) token ids, right-padded with <see cref="GruSeq2SeqConfig.PaddingId"/>.</param>
    /// <returns>The states h_j (batch, source length, n), the final state h_S of each sequence — the state after its
    /// last real token — (batch, n), and the keep mask (batch, source length), true at real tokens.</returns>
    public (Tensor Memory, Tensor Final, Tensor Keep) Encode(Tensor source)
    {
        using var scope = NewDisposeScope();
        var keep = source.ne(Config.PaddingId);
        var (memory, _) = encoder.forward(sourceEmbedding.forward(source));
        // Sequences are right-padded, so the state after the last real token is at index length − 1; the GRU's own
        // final state would have read the padding too.
        var last = (keep.sum(1, type: ScalarType.Int64) - 1).clamp_min(0);
        var final = memory.gather(1, last.view(-1, 1, 1).expand(-1, 1, memory.shape[2])).squeeze(1);
        return (memory.MoveToOuterDisposeScope(), final.MoveToOuterDisposeScope(), keep.MoveToOuterDisposeScope());
    }

    /// <summary>s_0 = tanh(W_init h_S + b), (batch, n).</summary>
    public Tensor Start(Tensor final) => tanh(initialState.forward(final));

    /// <summary>
    /// The context for the next step: with attention, c_i = Σ_j α_ij h_j with α_i scored from the previous decoder
    /// state; without, c_i = h_S and the weights are one-hot on the last real source position (all the decoder sees).
    /// </summary>
    /// <returns>Context (batch, n) and weights (batch, source length), each row summing to 1.</returns>
    public (Tensor Context, Tensor Weights) Context(Tensor state, Tensor memory, Tensor final, Tensor keep)
    {
        using var scope = NewDisposeScope();
        Tensor context, weights;
        if (attention is not null)
        {
            (context, weights) = attention.Attend(state.unsqueeze(1), memory, memory, keep.unsqueeze(1));
            (context, weights) = (context.squeeze(1), weights.squeeze(1));
        }
        else
        {
            context = final;
            var last = keep.sum(1, type: ScalarType.Int64) - 1;
            weights = nn.functional.one_hot(last.clamp_min(0), memory.shape[1]).to_type(memory.dtype);
        }
        return (context.MoveToOuterDisposeScope(), weights.MoveToOuterDisposeScope());
    }

    /// <summary>One decoder step: context, new state, logits.</summary>
    /// <param name="previous">(batch) the previous target token y_{i−1}.</param>
    /// <param name="state">(batch, n) s_{i−1}.</param>
    /// <param name="memory">(batch, source length, n) encoder states.</param>
    /// <param name="final">(batch, n) final encoder states.</param>
    /// <param name="keep">(batch, source length) true at real source tokens.</param>
    /// <returns>Logits (batch, target vocabulary), s_i (batch, n), attention weights (batch, source length).</returns>
    public (Tensor Logits, Tensor State, Tensor Weights) DecodeStep(Tensor previous, Tensor state, Tensor memory, Tensor final, Tensor keep)
    {
        using var scope = NewDisposeScope();
        var (context, weights) = Context(state, memory, final, keep);
        var next = decoderCell.forward(cat(new[] { targetEmbedding.forward(previous), context }, 1), state);
        var logits = outputLayer.forward(cat(new[] { next, context }, 1));
        return (logits.MoveToOuterDisposeScope(), next.MoveToOuterDisposeScope(), weights.MoveToOuterDisposeScope());
    }

    /// <summary>Teacher-forced logits: the decoder reads the true previous token at every step.</summary>
    /// <param name="source">(batch, source length) token ids.</param>
    /// <param name="targetInput">(batch, target length): the start token followed by the target without its end.</param>
    /// <returns>(batch, target length, target vocabulary)</returns>
    public override Tensor forward(Tensor source, Tensor targetInput) => Run(source, targetInput).Logits;

    /// <summary>Teacher-forced logits and the attention weights of every step, (batch, target length, source length).</summary>
    public (Tensor Logits, Tensor Weights) Run(Tensor source, Tensor targetInput)
    {
        using var scope = NewDisposeScope();
        var (memory, final, keep) = Encode(source);
        var state = Start(final);
        var logits = new List<Tensor>();
        var weights = new List<Tensor>();
        for (long i = 0; i < targetInput.shape[1]; i++)
        {
            var (stepLogits, next, stepWeights) = DecodeStep(targetInput.select(1, i), state, memory, final, keep);
            logits.Add(stepLogits);
            weights.Add(stepWeights);
            state = next;
        }
        return (stack(logits, 1).MoveToOuterDisposeScope(), stack(weights, 1).MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Greedy decoding: at each step the most likely token is fed back as the next input, until every sequence has
    /// produced <paramref name="endId"/> or <paramref name="maxTokens"/> tokens were generated.
    /// </summary>
    /// <returns>Tokens (batch, 1 + generated), start token first, padded after the end token, and the attention weights
    /// (batch, 1, generated, source length): row t is where the decoder looked while choosing token t + 1.</returns>
    public GreedyDecoding GreedyDecode(Tensor source, long startId, long endId, int maxTokens)
    {
        if (maxTokens < 1) throw new ArgumentOutOfRangeException(nameof(maxTokens), "at least one token.");
        bool wasTraining = training;
        eval();
        try
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            var (memory, final, keep) = Encode(source);
            var state = Start(final);
            var previous = full(source.shape[0], startId, dtype: ScalarType.Int64, device: source.device);
            var finished = zeros(source.shape[0], dtype: ScalarType.Bool, device: source.device);
            var tokens = new List<Tensor> { previous };
            var weights = new List<Tensor>();
            for (int step = 0; step < maxTokens; step++)
            {
                var (logits, next, stepWeights) = DecodeStep(previous, state, memory, final, keep);
                var chosen = logits.argmax(-1);
                chosen = where(finished, full_like(chosen, Config.PaddingId), chosen);
                tokens.Add(chosen);
                weights.Add(stepWeights);
                finished = finished.logical_or(chosen == endId);
                (previous, state) = (chosen, next);
                if (finished.all().item<bool>()) break;
            }
            return new GreedyDecoding(stack(tokens, 1).MoveToOuterDisposeScope(), stack(weights, 1).unsqueeze(1).MoveToOuterDisposeScope());
        }
        finally
        {
            train(wasTraining);
        }
    }
}
