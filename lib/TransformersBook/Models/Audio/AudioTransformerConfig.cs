namespace TransformersBook.Models;

/// <summary>The sizes of an <see cref="AudioTransformerClassifier"/>.</summary>
/// <param name="Mels">Mel bands per frame.</param>
/// <param name="Frames">Frames per clip (a multiple of PatchFrames).</param>
/// <param name="PatchFrames">Consecutive frames joined into one token.</param>
/// <param name="Width">d_model.</param>
/// <param name="Heads">Attention heads.</param>
/// <param name="Layers">Encoder layers.</param>
/// <param name="FeedForwardWidth">The feed-forward network's hidden width.</param>
/// <param name="Classes">Output classes.</param>
/// <param name="ConvolutionKernel">0 for a plain transformer; otherwise the depthwise kernel of a
/// <see cref="ConformerConvolutionModule"/> after each layer's attention and feed-forward sublayers.</param>
/// <param name="Dropout">Dropout in the layers.</param>
public sealed record AudioTransformerConfig(int Mels, int Frames, int PatchFrames, int Width, int Heads, int Layers, int FeedForwardWidth,
    int Classes, int ConvolutionKernel = 0, double Dropout = 0.1)
{
    /// <summary>Tokens per clip: Frames / PatchFrames.</summary>
    public int Tokens => Frames / PatchFrames;
}
