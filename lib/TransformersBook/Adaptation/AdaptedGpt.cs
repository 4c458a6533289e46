using TorchSharp;
using TorchSharp.Modules;
using TransformersBook.Blocks;
using TransformersBook.Models;
using TransformersBook.Training;
using TransformersBook.Attention;
using static TorchSharp.torch;

namespace TransformersBook.Adaptation;

/// <summary>
/// A frozen, pretrained <see cref="Gpt"/> with parameter-efficient additions (<see cref="AdaptationConfig"/>): low-rank
/// updates of chosen linear layers (LoRA), bottleneck adapters after each sublayer, a soft prompt before the input, and
/// trainable key/value prefixes in every attention layer. The forward pass runs the GPT's own modules in the order of
/// <see cref="DecoderLanguageModel{TBlock}.forward"/> and <see cref="PreNormDecoderBlock"/> and inserts the additions; with none of them, or
/// with all of them at their initial values except prompts and prefixes, it returns the GPT's logits bit for bit.
/// The GPT itself is not changed apart from having every parameter frozen. Supports GPTs with the dense (GELU or ReLU)
/// feed-forward sublayer. The GPT is a registered submodule: disposing the adapted model disposes it too.
/// </summary>
public sealed class AdaptedGpt : nn.Module<Tensor, Tensor>
{
    readonly Gpt model;
    readonly ModuleList<LoRALinear> lora;
    readonly ModuleList<QLoRALinear> qlora;
    readonly ModuleList<BottleneckAdapter> adapters;
    readonly ModuleList<SoftPrompt> prompt;
    readonly ModuleList<KeyValuePrefix> prefixes;
    readonly Dictionary<string, LoRALinear> loraByName = new();
    readonly Dictionary<string, QLoRALinear> qloraByName = new();
    readonly List<Layer> layers = new();

    sealed record Layer(LayerNorm AttentionNorm, Linear Qkv, Linear Output, Dropout AttentionResidualDropout,
        LayerNorm FeedForwardNorm, Linear Up, nn.Module<Tensor, Tensor> Activation, Linear Down, Dropout FeedForwardDropout, string Name);

    /// <param name="model">The pretrained GPT; all its parameters are frozen (requires_grad = false).</param>
    /// <param name="config">What to add.</param>
    public AdaptedGpt(Gpt model, AdaptationConfig config) : base(nameof(AdaptedGpt))
    {
        this.model = model;
        Adaptation = config;
        foreach (var p in model.parameters()) p.requires_grad = false;
        var device = model.parameters().First().device;
        int width = model.Config.Width;

        var loraModules = new List<LoRALinear>();
        var qloraModules = new List<QLoRALinear>();
        var adapterModules = new List<BottleneckAdapter>();
        var prefixModules = new List<KeyValuePrefix>();
        for (int i = 0; i < model.Config.Layers; i++)
        {
            var block = model.Blocks[i];
            if (block.FeedForwardSublayer is not FeedForward feedForward)
                throw new NotSupportedException($"{nameof(AdaptedGpt)} supports the dense feed-forward sublayer, not {block.FeedForwardKind}.");
            var attention = block.Attention;
            var layer = new Layer(Child<LayerNorm>(block, "attentionNorm"), Child<Linear>(attention, "qkv"), attention.OutputProjection,
                Child<Dropout>(attention, "residualDropout"), Child<LayerNorm>(block, "feedForwardNorm"), Child<Linear>(feedForward, "up"),
                Child<nn.Module<Tensor, Tensor>>(feedForward, "activation"), feedForward.OutputProjection, Child<Dropout>(feedForward, "dropout"),
                $"blocks.{i}");
            layers.Add(layer);
            if (config.LoRARank > 0)
            {
                foreach (var (target, name, linear) in new[]
                {
                    (LoRATargets.AttentionQkv, "attention.qkv", layer.Qkv), (LoRATargets.AttentionOutput, "attention.output", layer.Output),
                    (LoRATargets.FeedForwardUp, "feedForward.up", layer.Up), (LoRATargets.FeedForwardDown, "feedForward.down", layer.Down),
                })
                {
                    if (!config.LoRATargets.HasFlag(target)) continue;
                    if (config.QuantizeLoRABase)
                    {
                        var quantized = new QLoRALinear(linear, config.LoRARank, config.LoRAAlpha, doubleQuantization: config.DoubleQuantization);
                        qloraModules.Add(quantized);
                        qloraByName[$"{layer.Name}.{name}"] = quantized;
                        continue;
                    }
                    var wrapped = new LoRALinear(linear, config.LoRARank, config.LoRAAlpha);
                    loraModules.Add(wrapped);
                    loraByName[$"{layer.Name}.{name}"] = wrapped;
                }
            }
            if (config.AdapterBottleneck > 0)
            {
                adapterModules.Add(new BottleneckAdapter(width, config.AdapterBottleneck));
                adapterModules.Add(new BottleneckAdapter(width, config.AdapterBottleneck));
            }
            if (config.PrefixLength > 0) prefixModules.Add(new KeyValuePrefix(config.PrefixLength, width));
        }
        lora = nn.ModuleList(loraModules.ToArray());
        qlora = nn.ModuleList(qloraModules.ToArray());
        adapters = nn.ModuleList(adapterModules.ToArray());
        prefixes = nn.ModuleList(prefixModules.ToArray());
        prompt = nn.ModuleList(config.PromptLength > 0 ? new[] { new SoftPrompt(config.PromptLength, width) } : Array.Empty<SoftPrompt>());
        RegisterComponents();
        adapters.to(device);
        prefixes.to(device);
        prompt.to(device);
        InitializeFromVocabulary();
    }

    static T Child<T>(nn.Module module, string name) where T : nn.Module =>
        (T)module.named_children().Single(child => child.name == name).module;

    /// <summary>The frozen GPT underneath.</summary>
    public Gpt Model => model;

    /// <summary>What was added.</summary>
    public AdaptationConfig Adaptation { get; }

    /// <summary>The LoRA-wrapped layers by their path in the GPT (e.g. "blocks.0.attention.qkv").</summary>
    public IReadOnlyDictionary<string, LoRALinear> LoRALayers => loraByName;

    /// <summary>The QLoRA layers (NF4 weight + low-rank update) by their path in the GPT, when <see cref="AdaptationConfig.QuantizeLoRABase"/> is set.</summary>
    public IReadOnlyDictionary<string, QLoRALinear> QLoRALayers => qloraByName;

    /// <summary>The adapters, two per block: after attention, after the feed-forward sublayer.</summary>
    public IReadOnlyList<BottleneckAdapter> Adapters => adapters.ToArray();

    /// <summary>The soft prompt, or null.</summary>
    public SoftPrompt? Prompt => prompt.Count > 0 ? prompt[0] : null;

    /// <summary>The key/value prefixes, one per block.</summary>
    public IReadOnlyList<KeyValuePrefix> Prefixes => prefixes.ToArray();

    /// <summary>
    /// Starts the soft prompt at the token embeddings of random vocabulary entries (Lester et al., 2021) and each layer's
    /// prefix at the keys and values the frozen GPT computes there for a random token sequence (Li and Liang, 2021,
    /// found real-token initialisations better than random ones). Uses torch's global generator.
    /// </summary>
    void InitializeFromVocabulary()
    {
        var device = model.parameters().First().device;
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        if (Prompt is { } softPrompt)
        {
            var ids = randint(0, model.Config.VocabularySize, new[] { softPrompt.Length }, device: device);
            softPrompt.InitializeFrom(model.state_dict()["tokenEmbedding.weight"].index_select(0, ids));
        }
        if (prefixes.Count > 0)
        {
            long p = prefixes[0].Length;
            var ids = randint(0, model.Config.VocabularySize, new[] { 1, Math.Min(p, model.Config.ContextLength) }, device: device);
            var captured = new List<(Tensor Keys, Tensor Values)>();
            Run(ids, captured);
            for (int i = 0; i < prefixes.Count; i++)
            {
                var (k, v) = captured[i];
                // Repeat the captured positions if the prefix is longer than the context.
                var index = arange(p, device: device).remainder(k.shape[0]);
                prefixes[i].InitializeFrom(k.index_select(0, index), v.index_select(0, index));
            }
        }
    }

    /// <summary>Logits for the next token at every position of the input (the prompt's positions are dropped).</summary>
    /// <param name="tokens">(batch, time) token ids.</param>
    /// <returns>(batch, time, n_vocab)</returns>
    public override Tensor forward(Tensor tokens)
    {
        using var scope = NewDisposeScope();
        return Run(tokens, null).MoveToOuterDisposeScope();
    }

    /// <summary>Mean cross-entropy of predicting <paramref name="targets"/> from <paramref name="tokens"/>.</summary>
    public Tensor Loss(Tensor tokens, Tensor targets)
    {
        using var scope = NewDisposeScope();
        return Losses.TokenCrossEntropy(forward(tokens), targets).MoveToOuterDisposeScope();
    }

    Tensor Run(Tensor tokens, List<(Tensor Keys, Tensor Values)>? capture)
    {
        long time = tokens.shape[1];
        var x = model.Embed(tokens);
        if (Prompt is { } softPrompt) x = softPrompt.forward(x);
        for (int i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            var attended = Attention(i, layer.AttentionNorm.forward(x), capture);
            if (adapters.Count > 0) attended = adapters[2 * i].forward(attended);
            x = x + attended;
            var h = layer.FeedForwardNorm.forward(x);
            var fed = layer.FeedForwardDropout.forward(Project(layer, "feedForward.down", layer.Down,
                layer.Activation.forward(Project(layer, "feedForward.up", layer.Up, h))));
            if (adapters.Count > 0) fed = adapters[2 * i + 1].forward(fed);
            x = x + fed;
        }
        x = model.FinalNorm.forward(x);
        if (Prompt is { } usedPrompt) x = x.narrow(1, usedPrompt.Length, time);
        return model.Logits(x);
    }

    Tensor Project(Layer layer, string name, Linear linear, Tensor x) =>
        loraByName.TryGetValue($"{layer.Name}.{name}", out var wrapped) ? wrapped.forward(x)
        : qloraByName.TryGetValue($"{layer.Name}.{name}", out var quantized) ? quantized.forward(x)
        : linear.forward(x);

    /// <summary>CausalSelfAttention's computation, with LoRA on its projections and the layer's prefix before the keys.</summary>
    Tensor Attention(int index, Tensor x, List<(Tensor Keys, Tensor Values)>? capture)
    {
        var layer = layers[index];
        long b = x.shape[0], t = x.shape[1], c = x.shape[2];
        int heads = model.Config.Heads;
        double dropout = training ? model.Config.Dropout : 0.0;
        var qkvSplit = Project(layer, "attention.qkv", layer.Qkv, x).split(c, dim: 2);
        capture?.Add((qkvSplit[1][0].detach().MoveToOuterDisposeScope(), qkvSplit[2][0].detach().MoveToOuterDisposeScope()));
        Tensor Heads(Tensor z) => z.view(b, t, heads, c / heads).transpose(1, 2);
        Tensor y;
        if (prefixes.Count > 0 && capture is null)
        {
            var prefix = prefixes[index];
            var (prefixKeys, prefixValues) = prefix.ForHeads(b, heads);
            var keys = cat(new[] { prefixKeys, Heads(qkvSplit[1]) }, dim: 2);
            var values = cat(new[] { prefixValues, Heads(qkvSplit[2]) }, dim: 2);
            // Every query sees the whole prefix, then the sequence causally: 0 where allowed, −∞ where not.
            var mask = AttentionMasks.ToAdditive(AttentionMasks.CausalAfter(prefix.Length, t, x.device), x.dtype);
            y = nn.functional.scaled_dot_product_attention(Heads(qkvSplit[0]), keys, values, attn_mask: mask, p: dropout);
        }
        else
        {
            y = nn.functional.scaled_dot_product_attention(Heads(qkvSplit[0]), Heads(qkvSplit[1]), Heads(qkvSplit[2]),
                p: dropout, is_casual: true);
        }
        y = y.transpose(1, 2).contiguous().view(b, t, c);
        return layer.AttentionResidualDropout.forward(Project(layer, "attention.output", layer.Output, y));
    }

    /// <summary>
    /// A new, independent GPT whose LoRA-wrapped weights are merged, W₀ + (α/r)·B A (for QLoRA layers the dequantized
    /// NF4 weight plus the update): the same outputs as this model
    /// with no extra cost at inference. Only for LoRA (adapters, prompts and prefixes are not weights of the GPT).
    /// </summary>
    public Gpt MergeLoRA()
    {
        if (adapters.Count > 0 || prompt.Count > 0 || prefixes.Count > 0)
            throw new InvalidOperationException("only LoRA updates merge into the GPT's weights.");
        var merged = GptCloning.Clone(model);
        var weights = merged.state_dict();
        using var noGrad = no_grad();
        foreach (var (name, wrapped) in loraByName)
        {
            using var weight = wrapped.MergedWeight();
            weights[$"{name}.weight"].copy_(weight);
        }
        foreach (var (name, quantized) in qloraByName)
        {
            using var weight = quantized.MergedWeight();
            weights[$"{name}.weight"].copy_(weight);
        }
        return merged;
    }
}
