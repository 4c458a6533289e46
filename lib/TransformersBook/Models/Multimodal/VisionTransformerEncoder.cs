using TorchSharp;
using TorchSharp.Modules;
using TransformersBook.Positional;
using static TorchSharp.torch;

namespace TransformersBook.Models;

/// <summary>
/// The image encoder of ViT (Dosovitskiy et al., 2021): cut the image into P × P patches, flatten each, project it
/// linearly to d_model, prepend a learned [CLS] vector, add learned position vectors, run a stack of pre-norm
/// <see cref="EncoderLayer"/>s (no mask: every patch sees every patch) and a final LayerNorm, and pool one vector per
/// image: the [CLS] output or the mean of the patch outputs.
/// </summary>
public sealed class VisionTransformerEncoder : nn.Module<Tensor, Tensor>
{
    readonly Linear patchEmbedding;
    readonly Parameter classToken;
    readonly LearnedPositionalEmbedding positions;
    readonly ModuleList<EncoderLayer> layers;
    readonly LayerNorm finalNorm;

    /// <param name="config">The sizes.</param>
    public VisionTransformerEncoder(VisionTransformerConfig config) : base(nameof(VisionTransformerEncoder))
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.ImageSize % config.PatchSize != 0)
            throw new ArgumentException($"The patch size {config.PatchSize} does not divide the image size {config.ImageSize}.", nameof(config));
        Config = config;
        patchEmbedding = nn.Linear(config.PatchDimension, config.Width);
        // ViT initialises its [CLS] and position vectors with small normals, like GPT's embeddings.
        classToken = nn.Parameter(normal(0.0, 0.02, new long[] { 1, 1, config.Width }));
        positions = new LearnedPositionalEmbedding(config.PatchCount + 1, config.Width);
        layers = nn.ModuleList(Enumerable.Range(0, config.Layers)
            .Select(_ => new EncoderLayer(config.Width, config.Heads, config.FeedForwardWidth, config.Dropout, preNorm: true)).ToArray());
        finalNorm = nn.LayerNorm(config.Width);
        RegisterComponents();
    }

    /// <summary>The sizes.</summary>
    public VisionTransformerConfig Config { get; }

    /// <summary>The linear map from a flattened patch (C·P²) to d_model.</summary>
    public Linear PatchEmbedding => patchEmbedding;

    /// <summary>
    /// Cuts images into non-overlapping P × P patches and flattens each: (B, C, H, W) → (B, N, C·P·P), N = (H/P)(W/P).
    /// Patches are numbered row by row (left to right, then top to bottom); inside a patch the values are ordered by
    /// channel, then row, then column — the order of <c>torch.nn.functional.unfold</c>, transposed.
    /// </summary>
    public static Tensor Patchify(Tensor images, int patchSize)
    {
        ArgumentNullException.ThrowIfNull(images);
        long b = images.shape[0], c = images.shape[1], h = images.shape[2], w = images.shape[3];
        if (h % patchSize != 0 || w % patchSize != 0)
            throw new ArgumentException($"A {h} × {w} image does not split into {patchSize} × {patchSize} patches.", nameof(images));
        long rows = h / patchSize, columns = w / patchSize;
        return images.reshape(b, c, rows, patchSize, columns, patchSize)
            .permute(0, 2, 4, 1, 3, 5)                         // (B, rows, columns, C, P, P)
            .reshape(b, rows * columns, c * patchSize * patchSize);
    }

    /// <summary>The inverse of <see cref="Patchify"/>: (B, N, C·P·P) → (B, C, H, W).</summary>
    public static Tensor Unpatchify(Tensor patches, int patchSize, int channels, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(patches);
        long b = patches.shape[0], rows = height / patchSize, columns = width / patchSize;
        return patches.reshape(b, rows, columns, channels, patchSize, patchSize)
            .permute(0, 3, 1, 4, 2, 5)                         // (B, C, rows, P, columns, P)
            .reshape(b, channels, height, width);
    }

    /// <summary>Every token's output: (B, C, H, W) → (B, 1 + N, d_model), the [CLS] token first.</summary>
    public Tensor Encode(Tensor images)
    {
        using var scope = NewDisposeScope();
        var x = EmbedPatches(images);
        foreach (var layer in layers) x = layer.forward(x, null);
        return finalNorm.forward(x).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Every layer's self-attention weights, first layer first, each (B, heads, 1 + N, 1 + N) with the [CLS] token at
    /// index 0: what attention maps and <see cref="Interpretability.AttentionRollout"/> read.
    /// </summary>
    public IReadOnlyList<Tensor> AttentionWeights(Tensor images)
    {
        using var scope = NewDisposeScope();
        var x = EmbedPatches(images);
        var weights = new List<Tensor>(layers.Count);
        foreach (var layer in layers)
        {
            (x, var w) = layer.ForwardWithAttention(x, null);
            weights.Add(w);
        }
        return weights.Select(w => w.MoveToOuterDisposeScope()).ToList();
    }

    /// <summary>The tokens the first layer reads: [CLS], then the projected patches, plus position vectors.</summary>
    Tensor EmbedPatches(Tensor images)
    {
        using var scope = NewDisposeScope();
        var tokens = patchEmbedding.forward(Patchify(images, Config.PatchSize));     // (B, N, d)
        var cls = classToken.expand(tokens.shape[0], 1, Config.Width);
        return positions.forward(cat(new[] { cls, tokens }, dim: 1)).MoveToOuterDisposeScope();
    }

    /// <summary>One vector per image: (B, C, H, W) → (B, d_model).</summary>
    public override Tensor forward(Tensor images)
    {
        using var scope = NewDisposeScope();
        var x = Encode(images);
        var pooled = Config.MeanPooling
            ? x.narrow(1, 1, x.shape[1] - 1).mean(new long[] { 1 })
            : x.select(1, 0);
        return pooled.MoveToOuterDisposeScope();
    }
}
