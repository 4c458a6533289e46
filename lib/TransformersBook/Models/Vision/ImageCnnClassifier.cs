using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TransformersBook.Models;

/// <summary>
/// The baseline a practitioner tries first on small images: a small convolutional network. Each stage is a 3 × 3
/// convolution (padding 1, so the size is kept), BatchNorm and ReLU, then 2 × 2 max pooling; after the last stage,
/// global average pooling over the remaining positions and a linear layer give the logits. Its inductive biases are the
/// ones ViT lacks: each filter sees only a pixel's neighbourhood (locality), and the same filter slides over the whole
/// image (translation equivariance).
/// </summary>
public sealed class ImageCnnClassifier : nn.Module<Tensor, Tensor>
{
    readonly ModuleList<Conv2d> convolutions;
    readonly ModuleList<BatchNorm2d> norms;
    readonly Dropout dropout;
    readonly Linear head;

    /// <param name="inputChannels">Channels of the input image (1 for grey).</param>
    /// <param name="channels">The output channels of each stage, such as { 32, 64, 64 }.</param>
    /// <param name="classes">Output classes.</param>
    /// <param name="dropout">Dropout before the read-out.</param>
    public ImageCnnClassifier(int inputChannels, int[] channels, int classes, double dropout = 0.1) : base(nameof(ImageCnnClassifier))
    {
        ArgumentNullException.ThrowIfNull(channels);
        if (channels.Length == 0) throw new ArgumentException("At least one stage.", nameof(channels));
        convolutions = nn.ModuleList(channels.Select((c, s) => nn.Conv2d(s == 0 ? inputChannels : channels[s - 1], c, 3, padding: 1)).ToArray());
        norms = nn.ModuleList(channels.Select(c => nn.BatchNorm2d(c)).ToArray());
        this.dropout = nn.Dropout(dropout);
        head = nn.Linear(channels[^1], classes);
        RegisterComponents();
    }

    /// <param name="images">(batch, channels, height, width); each side must survive one halving per stage.</param>
    /// <returns>Logits, (batch, classes).</returns>
    public override Tensor forward(Tensor images)
    {
        using var scope = NewDisposeScope();
        var h = images;
        for (int s = 0; s < convolutions.Count; s++)
            h = nn.functional.max_pool2d(nn.functional.relu(norms[s].forward(convolutions[s].forward(h))), 2);
        return head.forward(dropout.forward(h.mean(new long[] { 2, 3 }))).MoveToOuterDisposeScope();
    }
}
