using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TransformersBook.Models;

/// <summary>
/// Single-stream vision-and-language fusion in the manner of VisualBERT (Li et al., 2019): image patches and text
/// tokens are embedded into one sequence — each with a learned type embedding (image or text) and a position — and
/// one encoder lets every token attend to every patch and every patch to every token from the first layer on. A
/// classifier reads the first position, a [CLS]-like summary token prepended to the sequence. The contrast is the
/// dual encoder (CLIP), where image and text never meet before their two final vectors, and Flamingo's gated
/// cross-attention, where a frozen text model looks at the image only through added layers.
/// </summary>
public sealed class SingleStreamFusion : nn.Module<Tensor, Tensor, Tensor>
{
    readonly Parameter summary;
    readonly Embedding tokenEmbedding;
    readonly Linear patchEmbedding;
    readonly Embedding typeEmbedding;
    readonly Embedding positionEmbedding;
    readonly ModuleList<EncoderLayer> layers;
    readonly LayerNorm finalNorm;
    readonly Linear classifier;

    /// <param name="vocabularySize">Text tokens.</param>
    /// <param name="patchDimension">Values per image patch (channels × patch size²).</param>
    /// <param name="maxLength">The most patches plus tokens (plus the summary token) a sequence may have.</param>
    /// <param name="width">d, the model width.</param>
    /// <param name="layers">Encoder layers.</param>
    /// <param name="heads">Attention heads.</param>
    /// <param name="classes">Answers the classifier chooses between.</param>
    public SingleStreamFusion(int vocabularySize, int patchDimension, int maxLength, int width, int layers, int heads, int classes)
        : base(nameof(SingleStreamFusion))
    {
        summary = nn.Parameter(randn(1, 1, width) * 0.02);
        tokenEmbedding = nn.Embedding(vocabularySize, width);
        patchEmbedding = nn.Linear(patchDimension, width);
        typeEmbedding = nn.Embedding(2, width);
        positionEmbedding = nn.Embedding(maxLength, width);
        this.layers = nn.ModuleList(Enumerable.Range(0, layers).Select(_ => new EncoderLayer(width, heads, 4 * width, preNorm: true)).ToArray());
        finalNorm = nn.LayerNorm(width);
        classifier = nn.Linear(width, classes);
        MaxLength = maxLength;
        RegisterComponents();
    }

    /// <summary>The longest sequence: summary token, patches and text tokens together.</summary>
    public int MaxLength { get; }

    /// <summary>The fused states of every position: the summary token, then the patches, then the text.</summary>
    /// <param name="patches">(batch, P, patchDimension) image patches (<see cref="VisionTransformerEncoder.Patchify"/>).</param>
    /// <param name="tokens">(batch, T) text token ids.</param>
    /// <returns>(batch, 1 + P + T, width)</returns>
    public Tensor Encode(Tensor patches, Tensor tokens)
    {
        long batch = patches.shape[0], p = patches.shape[1], t = tokens.shape[1];
        if (1 + p + t > MaxLength) throw new ArgumentException($"1 + {p} patches + {t} tokens exceed the {MaxLength} positions.", nameof(tokens));
        using var scope = NewDisposeScope();
        var device = tokens.device;
        var image = patchEmbedding.forward(patches) + typeEmbedding.forward(zeros(p, dtype: ScalarType.Int64, device: device));
        var text = tokenEmbedding.forward(tokens) + typeEmbedding.forward(ones(t, dtype: ScalarType.Int64, device: device));
        var x = cat(new[] { summary.expand(batch, 1, summary.shape[2]), image, text }, dim: 1);
        x = x + positionEmbedding.forward(arange(1 + p + t, device: device));
        foreach (var layer in layers) x = layer.forward(x, null);
        return finalNorm.forward(x).MoveToOuterDisposeScope();
    }

    /// <summary>Answer logits from the summary position, (batch, classes).</summary>
    public override Tensor forward(Tensor patches, Tensor tokens)
    {
        using var scope = NewDisposeScope();
        return classifier.forward(Encode(patches, tokens).select(1, 0)).MoveToOuterDisposeScope();
    }
}
