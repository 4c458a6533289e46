namespace TransformersBook.Models;

/// <summary>
/// The size of a Vision Transformer image encoder (Dosovitskiy et al., 2021): square images cut into square patches,
/// each patch a token.
/// </summary>
/// <param name="ImageSize">The side of the (square) input image in pixels.</param>
/// <param name="PatchSize">P: the side of a patch; it must divide <paramref name="ImageSize"/>.</param>
/// <param name="Channels">C: colour channels (3 for RGB).</param>
/// <param name="Layers">Encoder layers.</param>
/// <param name="Heads">Attention heads per layer.</param>
/// <param name="Width">d_model.</param>
/// <param name="FeedForwardWidth">The feed-forward network's hidden width (4·d_model in ViT).</param>
/// <param name="MeanPooling">Pool by averaging the patch outputs instead of reading the [CLS] token's output.</param>
/// <param name="Dropout">Dropout on attention weights and sublayer outputs.</param>
public sealed record VisionTransformerConfig(
    int ImageSize, int PatchSize, int Channels, int Layers, int Heads, int Width, int FeedForwardWidth,
    bool MeanPooling = false, double Dropout = 0.0)
{
    /// <summary>N = (ImageSize / P)²: the number of patches, i.e. of image tokens besides [CLS].</summary>
    public int PatchCount => (ImageSize / PatchSize) * (ImageSize / PatchSize);

    /// <summary>C·P²: the number of values in one flattened patch.</summary>
    public int PatchDimension => Channels * PatchSize * PatchSize;
}
