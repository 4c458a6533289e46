using TorchSharp;
using TorchSharp.Modules;
using TransformersBook.Training;
using TransformersBook.Attention;
using static TorchSharp.torch;

namespace TransformersBook.Interpretability;

/// <summary>
/// A transformer with attention and nothing else (Elhage et al., 2021): x₀ = token embedding + learned position,
/// then for each layer x ← x + Σ_h A_h (x W_V,h) W_O,h with causal softmax attention A_h = softmax(x W_Q,h (x W_K,h)ᵀ / √d_h),
/// and logits = x W_U. Token and position vectors start as N(0, 1), the same scale, so that attention can match on
/// either from the first step. No feed-forward blocks, no normalisation and no biases, so the residual stream is a plain sum
/// of the embedding and every head's output — which is what makes the heads easy to read, ablate and patch.
/// </summary>
public sealed class AttentionOnlyTransformer : nn.Module<Tensor, Tensor>
{
    readonly Embedding tokenEmbedding;
    readonly Parameter positions;
    readonly ModuleList<Linear> queries;
    readonly ModuleList<Linear> keys;
    readonly ModuleList<Linear> values;
    readonly ModuleList<Linear> outputs;
    readonly Linear unembedding;

    /// <param name="config">The sizes; Width must be a multiple of Heads.</param>
    public AttentionOnlyTransformer(AttentionOnlyConfig config) : base(nameof(AttentionOnlyTransformer))
    {
        if (config.Width % config.Heads != 0) throw new ArgumentException($"width {config.Width} is not a multiple of {config.Heads} heads.", nameof(config));
        if (config.Layers < 1) throw new ArgumentOutOfRangeException(nameof(config), "a model needs at least one layer.");
        Config = config;
        tokenEmbedding = nn.Embedding(config.Vocabulary, config.Width);
        positions = nn.Parameter(randn(config.MaxLength, config.Width));
        Linear Square() => nn.Linear(config.Width, config.Width, hasBias: false);
        queries = nn.ModuleList(Enumerable.Range(0, config.Layers).Select(_ => Square()).ToArray());
        keys = nn.ModuleList(Enumerable.Range(0, config.Layers).Select(_ => Square()).ToArray());
        values = nn.ModuleList(Enumerable.Range(0, config.Layers).Select(_ => Square()).ToArray());
        outputs = nn.ModuleList(Enumerable.Range(0, config.Layers).Select(_ => Square()).ToArray());
        unembedding = nn.Linear(config.Width, config.Vocabulary, hasBias: false);
        RegisterComponents();
    }

    /// <summary>The sizes the model was built with.</summary>
    public AttentionOnlyConfig Config { get; }

    /// <summary>x₀: token embedding plus the learned position of each step, (batch, time, width).</summary>
    public Tensor Embed(Tensor tokens)
    {
        long time = tokens.shape[1];
        if (time > Config.MaxLength) throw new ArgumentException($"the input has {time} positions; this model was built for at most {Config.MaxLength}.", nameof(tokens));
        return tokenEmbedding.forward(tokens) + positions.narrow(0, 0, time);
    }

    /// <summary>The next-token logits, (batch, time, vocabulary).</summary>
    public override Tensor forward(Tensor tokens) => Run(tokens).Logits;

    /// <summary>A forward pass from token ids that also returns the attention patterns, head outputs and residual stream.</summary>
    /// <param name="tokens">(batch, time) ids.</param>
    /// <param name="edits">Heads to ablate or patch (optional).</param>
    public AttentionOnlyOutput Run(Tensor tokens, IReadOnlyList<HeadEdit>? edits = null) => RunFromEmbedding(Embed(tokens), edits);

    /// <summary>
    /// The forward pass from a given x₀ (batch, time, width): gradient saliency differentiates the output with
    /// respect to this input.
    /// </summary>
    public AttentionOnlyOutput RunFromEmbedding(Tensor embedding, IReadOnlyList<HeadEdit>? edits = null)
    {
        long batch = embedding.shape[0], time = embedding.shape[1];
        int heads = Config.Heads, headWidth = Config.HeadWidth;
        var future = AttentionMasks.Causal(time, embedding.device).logical_not();
        var x = embedding;
        var patterns = new List<Tensor>();
        var headOutputs = new List<Tensor>();
        var residuals = new List<Tensor> { x };
        for (int layer = 0; layer < Config.Layers; layer++)
        {
            Tensor Split(Tensor t) => t.view(batch, time, heads, headWidth).transpose(1, 2);           // (B, H, T, d_h)
            var q = Split(queries[layer].forward(x));
            var k = Split(keys[layer].forward(x));
            var v = Split(values[layer].forward(x));
            var scores = q.matmul(k.transpose(2, 3)) / Math.Sqrt(headWidth);
            var pattern = scores.masked_fill(future, double.NegativeInfinity).softmax(-1);          // (B, H, T, T)
            var mixed = pattern.matmul(v);                                                          // (B, H, T, d_h)
            // W_O split by head: head h reads columns h·d_h … (h+1)·d_h − 1 of the output weight (width, width).
            var outputWeight = outputs[layer].weight!.view(Config.Width, heads, headWidth).permute(1, 2, 0); // (H, d_h, width)
            var perHead = mixed.matmul(outputWeight.unsqueeze(0));                                  // (B, H, T, width)
            if (edits is not null)
                foreach (var edit in edits.Where(e => e.Layer == layer))
                {
                    if (edit.Head < 0 || edit.Head >= heads) throw new ArgumentOutOfRangeException(nameof(edits), $"layer {layer} has no head {edit.Head}.");
                    var keep = ones(1, heads, 1, 1, device: x.device);
                    keep[0, edit.Head] = 0;
                    var replacement = zeros(batch, heads, time, Config.Width, device: x.device);
                    if (edit.Replacement is not null)
                        replacement[.., edit.Head] = edit.Replacement.to(x.device);
                    perHead = perHead * keep + replacement;
                }
            patterns.Add(pattern);
            headOutputs.Add(perHead);
            x = x + perHead.sum(dim: 1);
            residuals.Add(x);
        }
        return new AttentionOnlyOutput(unembedding.forward(x), patterns, headOutputs, residuals);
    }

    /// <summary>Cross-entropy of the next token at every position, (batch, time − 1): entry t is −log p(token_{t+1} | tokens ≤ t).</summary>
    public static Tensor LossPerPosition(Tensor logits, Tensor tokens)
    {
        long time = tokens.shape[1];
        return -Losses.TokenLogProbability(logits.narrow(1, 0, time - 1), tokens.narrow(1, 1, time - 1));
    }
}
