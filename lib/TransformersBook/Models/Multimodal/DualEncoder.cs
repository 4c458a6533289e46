using TorchSharp;
using TorchSharp.Modules;
using TransformersBook.Training;
using static TorchSharp.torch;

namespace TransformersBook.Models;

/// <summary>
/// A CLIP-style dual encoder (Radford et al., 2021): a <see cref="VisionTransformerEncoder"/> and a
/// <see cref="TextEncoder"/>, each followed by a linear projection without bias into a shared embedding space, where
/// images and captions are compared by cosine similarity times a learned scale s = exp(t) = 1/τ. As in CLIP, t starts at
/// ln(1/0.07) and s is clipped at 100 so that the logits cannot grow without bound.
/// </summary>
public sealed class DualEncoder : nn.Module<Tensor, Tensor, Tensor>
{
    readonly VisionTransformerEncoder imageEncoder;
    readonly TextEncoder textEncoder;
    readonly Linear imageProjection;
    readonly Linear textProjection;
    readonly Parameter logScale;

    /// <summary>CLIP's largest logit scale, 1/τ ≤ 100.</summary>
    public const double MaxScale = 100.0;

    /// <param name="image">The image encoder's sizes.</param>
    /// <param name="text">The text encoder's sizes.</param>
    /// <param name="embeddingSize">The dimension of the shared space.</param>
    /// <param name="initialTemperature">τ at initialisation (0.07 in CLIP).</param>
    public DualEncoder(VisionTransformerConfig image, TextEncoderConfig text, int embeddingSize, double initialTemperature = 0.07)
        : base(nameof(DualEncoder))
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(text);
        imageEncoder = new VisionTransformerEncoder(image);
        textEncoder = new TextEncoder(text);
        imageProjection = nn.Linear(image.Width, embeddingSize, hasBias: false);
        textProjection = nn.Linear(text.Width, embeddingSize, hasBias: false);
        logScale = nn.Parameter(tensor(Math.Log(1.0 / initialTemperature), ScalarType.Float32));
        EmbeddingSize = embeddingSize;
        RegisterComponents();
    }

    /// <summary>The dimension of the shared space.</summary>
    public int EmbeddingSize { get; }

    /// <summary>The image encoder.</summary>
    public VisionTransformerEncoder ImageEncoder => imageEncoder;

    /// <summary>The text encoder.</summary>
    public TextEncoder TextEncoder => textEncoder;

    /// <summary>The learned t; the logit scale is exp(t), clipped at <see cref="MaxScale"/>.</summary>
    public Parameter LogScale => logScale;

    /// <summary>s = exp(t) clipped at 100, a scalar tensor.</summary>
    public Tensor Scale() => logScale.exp().clamp_max(MaxScale);

    /// <summary>The temperature τ = 1/s as a number.</summary>
    public double Temperature
    {
        get
        {
            using var noGrad = no_grad();
            using var scale = Scale();
            return 1.0 / scale.item<float>();
        }
    }

    /// <summary>Unit-length image embeddings: (B, 3, H, W) → (B, E).</summary>
    public Tensor EmbedImages(Tensor images)
    {
        using var scope = NewDisposeScope();
        return nn.functional.normalize(imageProjection.forward(imageEncoder.forward(images)), p: 2, dim: -1).MoveToOuterDisposeScope();
    }

    /// <summary>Unit-length caption embeddings: (B, T) token ids → (B, E).</summary>
    public Tensor EmbedTexts(Tensor tokens)
    {
        using var scope = NewDisposeScope();
        return nn.functional.normalize(textProjection.forward(textEncoder.forward(tokens)), p: 2, dim: -1).MoveToOuterDisposeScope();
    }

    /// <summary>The (B, B') logits s · cos(image i, text j): row i scores image i against every caption.</summary>
    public override Tensor forward(Tensor images, Tensor tokens)
    {
        using var scope = NewDisposeScope();
        return ContrastiveLoss.Logits(EmbedImages(images), EmbedTexts(tokens), Scale()).MoveToOuterDisposeScope();
    }

    /// <summary>The symmetric InfoNCE loss of a batch of matching (image, caption) pairs.</summary>
    public Tensor Loss(Tensor images, Tensor tokens)
    {
        using var scope = NewDisposeScope();
        return ContrastiveLoss.Symmetric(forward(images, tokens)).MoveToOuterDisposeScope();
    }
}
