using TorchSharp;
using TorchSharp.Modules;
using TransformersBook.Blocks;
using static TorchSharp.torch;

namespace TransformersBook.Models;

/// <summary>
/// A Flamingo-style vision-language model (Alayrac et al., 2022): a pretrained <see cref="Gpt"/> that stays frozen, a
/// <see cref="VisionTransformerEncoder"/> whose every output token (the [CLS] token and the patches) is a media token,
/// and one <see cref="GatedCrossAttentionBlock"/> before each of the language model's blocks, through which the text
/// reads the image. Only the image encoder and the gated blocks learn. Because every gate starts at tanh(0) = 0, the
/// model at initialisation computes exactly what the frozen language model computes, so training starts from the
/// language model's text-only predictions and cannot lose them at step 0.
/// </summary>
/// <remarks>
/// Flamingo keeps its vision encoder frozen too and resamples its features with a Perceiver; the book has no pretrained
/// image encoder, so here it learns from scratch and its outputs go to the gated blocks directly.
/// </remarks>
public sealed class GatedCrossAttentionLanguageModel : nn.Module<Tensor, Tensor, Tensor>
{
    readonly Gpt languageModel;
    readonly VisionTransformerEncoder imageEncoder;
    readonly ModuleList<GatedCrossAttentionBlock> adapters;

    /// <param name="languageModel">The pretrained language model. Its parameters are frozen here (requires_grad = false).</param>
    /// <param name="image">The image encoder's sizes.</param>
    /// <param name="adapterHeads">Cross-attention heads in each gated block; must divide the language model's width.</param>
    public GatedCrossAttentionLanguageModel(Gpt languageModel, VisionTransformerConfig image, int adapterHeads)
        : base(nameof(GatedCrossAttentionLanguageModel))
    {
        ArgumentNullException.ThrowIfNull(languageModel);
        ArgumentNullException.ThrowIfNull(image);
        this.languageModel = languageModel;
        foreach (var p in languageModel.parameters()) p.requires_grad = false;
        imageEncoder = new VisionTransformerEncoder(image);
        int width = languageModel.Config.Width;
        adapters = nn.ModuleList(Enumerable.Range(0, languageModel.Config.Layers)
            .Select(_ => new GatedCrossAttentionBlock(width, image.Width, adapterHeads)).ToArray());
        RegisterComponents();
    }

    /// <summary>The frozen language model.</summary>
    public Gpt LanguageModel => languageModel;

    /// <summary>The image encoder (trained).</summary>
    public VisionTransformerEncoder ImageEncoder => imageEncoder;

    /// <summary>The gated cross-attention blocks, the one before language-model block i at index i (trained).</summary>
    public IReadOnlyList<GatedCrossAttentionBlock> Adapters => adapters.ToArray();

    /// <summary>The parameters that learn: the image encoder's and the gated blocks'. Give these, not all, to the optimiser.</summary>
    public IEnumerable<Parameter> TrainableParameters() => imageEncoder.parameters().Concat(adapters.parameters());

    /// <summary>The media tokens of images: (B, 3, H, W) → (B, 1 + N, image width).</summary>
    public Tensor Media(Tensor images) => imageEncoder.Encode(images);

    /// <summary>Next-token logits of text that reads already-encoded media: (B, M, image width), (B, T) → (B, T, n_vocab).</summary>
    public Tensor Logits(Tensor media, Tensor tokens)
    {
        ArgumentNullException.ThrowIfNull(media);
        ArgumentNullException.ThrowIfNull(tokens);
        if (media.shape[0] != tokens.shape[0])
            throw new ArgumentException($"{media.shape[0]} images' media for {tokens.shape[0]} token sequences; one each is needed.", nameof(media));
        using var scope = NewDisposeScope();
        var x = languageModel.Embed(tokens);
        var blocks = languageModel.Blocks;
        for (int i = 0; i < blocks.Count; i++)
            x = blocks[i].forward(adapters[i].forward(x, media));
        return languageModel.Logits(languageModel.FinalNorm.forward(x)).MoveToOuterDisposeScope();
    }

    /// <summary>Next-token logits of text about images: (B, 3, H, W), (B, T) → (B, T, n_vocab).</summary>
    public override Tensor forward(Tensor images, Tensor tokens)
    {
        using var scope = NewDisposeScope();
        return Logits(Media(images), tokens).MoveToOuterDisposeScope();
    }
}
