using TorchSharp;
using TorchSharp.Modules;
using TransformersBook.Models;
using TransformersBook.Training;
using static TorchSharp.torch;

namespace TransformersBook.Retrieval;

/// <summary>
/// A dense retriever in the style of DPR (Karpukhin et al., 2020), small: one <see cref="TextEncoder"/> shared by
/// queries and passages (a "siamese" encoder), its outputs averaged over the non-padding tokens, a linear projection
/// without bias and normalisation to unit length. Trained with the symmetric InfoNCE loss over in-batch negatives at a
/// fixed temperature τ, so that a query's embedding is nearest to its own passage's.
/// </summary>
public sealed class DenseRetriever : nn.Module<Tensor, Tensor>
{
    readonly TextEncoder encoder;
    readonly Linear projection;

    /// <param name="config">The encoder's sizes (its PaddingId marks padding, which the mean leaves out).</param>
    /// <param name="embeddingSize">The dimension of the embeddings.</param>
    /// <param name="temperature">τ: the logits are cos / τ (DPR-like models use 0.01–0.1).</param>
    public DenseRetriever(TextEncoderConfig config, int embeddingSize, double temperature = 0.05) : base(nameof(DenseRetriever))
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        encoder = new TextEncoder(config);
        projection = nn.Linear(config.Width, embeddingSize, hasBias: false);
        EmbeddingSize = embeddingSize;
        Temperature = temperature;
        RegisterComponents();
    }

    /// <summary>The encoder's sizes.</summary>
    public TextEncoderConfig Config { get; }

    /// <summary>The dimension of the embeddings.</summary>
    public int EmbeddingSize { get; }

    /// <summary>τ, fixed.</summary>
    public double Temperature { get; }

    /// <summary>Unit-length embeddings, (B, T) token ids → (B, E); a row of padding only gives the zero vector's image.</summary>
    public override Tensor forward(Tensor tokens)
    {
        using var scope = NewDisposeScope();
        var states = encoder.Encode(tokens);
        var keep = tokens.ne(Config.PaddingId).unsqueeze(-1).to(states.dtype);
        var pooled = (states * keep).sum(dim: 1) / keep.sum(dim: 1).clamp_min(1.0);
        return nn.functional.normalize(projection.forward(pooled), p: 2, dim: -1).MoveToOuterDisposeScope();
    }

    /// <summary>Symmetric InfoNCE of B matching (query, passage) pairs: query i must pick passage i, and back.</summary>
    public Tensor Loss(Tensor queries, Tensor passages)
    {
        using var scope = NewDisposeScope();
        var logits = forward(queries).matmul(forward(passages).t()) / Temperature;
        return ContrastiveLoss.Symmetric(logits).MoveToOuterDisposeScope();
    }
}
