using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TransformersBook.Models;

/// <summary>
/// ViT for image classification (Dosovitskiy et al., 2021): the <see cref="VisionTransformerEncoder"/> pools one vector
/// per image (the [CLS] output, or the mean of the patch outputs), and a linear head turns it into class logits.
/// </summary>
public sealed class VisionTransformerClassifier : nn.Module<Tensor, Tensor>
{
    readonly VisionTransformerEncoder encoder;
    readonly Linear head;

    /// <param name="config">The encoder's sizes.</param>
    /// <param name="classes">Output classes.</param>
    public VisionTransformerClassifier(VisionTransformerConfig config, int classes) : base(nameof(VisionTransformerClassifier))
    {
        if (classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), classes, "A classifier needs at least two classes.");
        encoder = new VisionTransformerEncoder(config);
        head = nn.Linear(config.Width, classes);
        RegisterComponents();
    }

    /// <summary>The image encoder, for its attention weights.</summary>
    public VisionTransformerEncoder Encoder => encoder;

    /// <param name="images">(batch, channels, side, side)</param>
    /// <returns>Logits, (batch, classes).</returns>
    public override Tensor forward(Tensor images)
    {
        using var scope = NewDisposeScope();
        return head.forward(encoder.forward(images)).MoveToOuterDisposeScope();
    }
}
