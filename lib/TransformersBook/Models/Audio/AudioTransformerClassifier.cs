using TorchSharp;
using TorchSharp.Modules;
using TransformersBook.Positional;
using static TorchSharp.torch;

namespace TransformersBook.Models;

/// <summary>
/// A transformer that classifies a clip from its log-mel spectrogram: P consecutive frames are joined into one token
/// (P · M values) and projected linearly to d_model — the spectrogram's counterpart of ViT's patches, cut along time
/// only — learned position vectors are added, a stack of pre-norm <see cref="EncoderLayer"/>s runs (every token sees
/// every token), and the mean of the outputs after a final LayerNorm goes through a linear read-out. With a convolution
/// kernel in the config each layer is followed by a residual <see cref="ConformerConvolutionModule"/>, a Conformer-style
/// variant: attention for the whole clip, convolution for the neighbouring frames.
/// </summary>
public sealed class AudioTransformerClassifier : nn.Module<Tensor, Tensor>
{
    readonly Linear patchEmbedding;
    readonly LearnedPositionalEmbedding positions;
    readonly ModuleList<EncoderLayer> layers;
    readonly ModuleList<ConformerConvolutionModule> convolutions;
    readonly LayerNorm finalNorm;
    readonly Linear head;

    /// <param name="config">The sizes.</param>
    public AudioTransformerClassifier(AudioTransformerConfig config) : base(nameof(AudioTransformerClassifier))
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Frames % config.PatchFrames != 0)
            throw new ArgumentException($"{config.PatchFrames} frames per token do not divide {config.Frames} frames.", nameof(config));
        Config = config;
        patchEmbedding = nn.Linear(config.PatchFrames * config.Mels, config.Width);
        positions = new LearnedPositionalEmbedding(config.Tokens, config.Width);
        layers = nn.ModuleList(Enumerable.Range(0, config.Layers)
            .Select(_ => new EncoderLayer(config.Width, config.Heads, config.FeedForwardWidth, config.Dropout, preNorm: true)).ToArray());
        convolutions = nn.ModuleList(config.ConvolutionKernel > 0
            ? Enumerable.Range(0, config.Layers).Select(_ => new ConformerConvolutionModule(config.Width, config.ConvolutionKernel, config.Dropout)).ToArray()
            : Array.Empty<ConformerConvolutionModule>());
        finalNorm = nn.LayerNorm(config.Width);
        head = nn.Linear(config.Width, config.Classes);
        RegisterComponents();
    }

    /// <summary>The sizes.</summary>
    public AudioTransformerConfig Config { get; }

    /// <summary>Joins every P consecutive frames into one token: (B, T, M) → (B, T/P, P·M), frame by frame.</summary>
    public static Tensor Patchify(Tensor spectrogram, int patchFrames)
    {
        ArgumentNullException.ThrowIfNull(spectrogram);
        long b = spectrogram.shape[0], t = spectrogram.shape[1], m = spectrogram.shape[2];
        return spectrogram.reshape(b, t / patchFrames, patchFrames * m);
    }

    /// <param name="spectrogram">(batch, frames, mels)</param>
    /// <returns>Logits, (batch, classes).</returns>
    public override Tensor forward(Tensor spectrogram)
    {
        using var scope = NewDisposeScope();
        var x = positions.forward(patchEmbedding.forward(Patchify(spectrogram, Config.PatchFrames)));
        for (int i = 0; i < layers.Count; i++)
        {
            x = layers[i].forward(x, null);
            if (convolutions.Count > 0) x = x + convolutions[i].forward(x);
        }
        return head.forward(finalNorm.forward(x).mean(new long[] { 1 })).MoveToOuterDisposeScope();
    }
}
