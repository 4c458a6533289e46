using TorchSharp;
using static TorchSharp.torch;

namespace TransformersBook.Training;

/// <summary>
/// The symmetric InfoNCE loss of CLIP (Radford et al., 2021; van den Oord et al., 2018): in a batch of B matching
/// (image, text) pairs, image i must pick text i out of the B texts, and text i must pick image i out of the B images.
/// With logits L = s · I Tᵀ (unit-length embeddings, learned scale s = 1/τ), it is the mean of the cross-entropy of
/// the rows of L against the diagonal and of the columns of L against the diagonal.
/// </summary>
public static class ContrastiveLoss
{
    /// <summary>
    /// ½ [CE(L, diag) + CE(Lᵀ, diag)] for a (B, B) logit matrix whose row i scores image i against every text.
    /// </summary>
    public static Tensor Symmetric(Tensor logits)
    {
        ArgumentNullException.ThrowIfNull(logits);
        if (logits.dim() != 2 || logits.shape[0] != logits.shape[1])
            throw new ArgumentException($"The logits must be a square (B, B) matrix; got [{string.Join(", ", logits.shape)}].", nameof(logits));
        using var scope = NewDisposeScope();
        var targets = arange(logits.shape[0], dtype: ScalarType.Int64, device: logits.device);
        var imageToText = nn.functional.cross_entropy(logits, targets);
        var textToImage = nn.functional.cross_entropy(logits.t(), targets);
        return ((imageToText + textToImage) / 2).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The logits s · Î T̂ᵀ of two batches of embeddings, each row normalised to unit length first (cosine similarity).
    /// </summary>
    /// <param name="imageEmbeddings">(B, E).</param>
    /// <param name="textEmbeddings">(B', E).</param>
    /// <param name="scale">s = 1/τ, a scalar tensor or number.</param>
    public static Tensor Logits(Tensor imageEmbeddings, Tensor textEmbeddings, Tensor scale)
    {
        ArgumentNullException.ThrowIfNull(imageEmbeddings);
        ArgumentNullException.ThrowIfNull(textEmbeddings);
        using var scope = NewDisposeScope();
        var images = nn.functional.normalize(imageEmbeddings, p: 2, dim: -1);
        var texts = nn.functional.normalize(textEmbeddings, p: 2, dim: -1);
        return (scale * images.matmul(texts.t())).MoveToOuterDisposeScope();
    }
}
