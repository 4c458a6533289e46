using TorchSharp;
using TorchSharp.Modules;
using TransformersBook.Blocks;
using static TorchSharp.torch;

namespace TransformersBook.Models;

/// <summary>
/// SASRec (Kang and McAuley, 2018): a causal transformer over a user's item history. Item embeddings (scaled by √d)
/// plus learned positions go through pre-norm decoder blocks; the hidden state at position t is the user's state
/// after item t, and the score of item j as the next item is its dot product with item j's embedding — the same
/// table that embeds the input, so scoring needs no output layer of its own.
/// </summary>
/// <remarks>
/// Histories are left-padded with item 0, whose embedding is zero and never trained, so the most recent item is
/// always at the last position. Both embedding tables start at N(0, 0.02²). As in the reference implementations, padded positions are zeroed after the
/// embedding and after every block; the causal mask keeps every real position from seeing later items.
/// </remarks>
public sealed class SasRec : nn.Module<Tensor, Tensor>
{
    readonly Embedding itemEmbedding;
    readonly Embedding positionEmbedding;
    readonly Dropout embeddingDropout;
    readonly ModuleList<PreNormDecoderBlock> blocks;
    readonly LayerNorm finalNorm;

    /// <param name="itemCount">Items have ids 1…itemCount; 0 is padding.</param>
    /// <param name="maxLength">The longest history the model reads (the position table's size).</param>
    /// <param name="width">The embedding and model width d.</param>
    /// <param name="layers">How many decoder blocks.</param>
    /// <param name="heads">Attention heads per block.</param>
    /// <param name="dropout">Dropout on embeddings, attention and sublayer outputs.</param>
    public SasRec(int itemCount, int maxLength, int width, int layers, int heads, double dropout = 0.2) : base(nameof(SasRec))
    {
        ItemCount = itemCount;
        MaxLength = maxLength;
        Width = width;
        itemEmbedding = nn.Embedding(itemCount + 1, width, padding_idx: 0);
        positionEmbedding = nn.Embedding(maxLength, width);
        embeddingDropout = nn.Dropout(dropout);
        blocks = nn.ModuleList(Enumerable.Range(0, layers).Select(_ => new PreNormDecoderBlock(width, heads, dropout)).ToArray());
        finalNorm = nn.LayerNorm(width);
        RegisterComponents();
        // Small embeddings, as in GPT-2 (N(0, 0.02²)); TorchSharp's default N(0, 1) gives scores ⟨h, E_j⟩ of size √d at
        // the start and embeddings that Adam's steps of about the learning rate move only slowly.
        using (no_grad())
        {
            itemEmbedding.weight!.normal_(0, 0.02);
            itemEmbedding.weight[0].zero_();
            positionEmbedding.weight!.normal_(0, 0.02);
        }
    }

    /// <summary>How many items (ids 1…ItemCount).</summary>
    public int ItemCount { get; }

    /// <summary>The longest history the model reads.</summary>
    public int MaxLength { get; }

    /// <summary>The model width d.</summary>
    public int Width { get; }

    /// <summary>The item table, shared by the input and the scores; row 0 is padding.</summary>
    public Embedding ItemEmbedding => itemEmbedding;

    /// <summary>The user's state after each item of a left-padded history.</summary>
    /// <param name="items">(batch, time) item ids, 0 for padding, time ≤ MaxLength.</param>
    /// <returns>(batch, time, width), zero at padded positions.</returns>
    public override Tensor forward(Tensor items)
    {
        using var scope = NewDisposeScope();
        long time = items.shape[1];
        var keep = items.ne(0).unsqueeze(-1).to_type(ScalarType.Float32);
        var positions = arange(time, dtype: ScalarType.Int64, device: items.device);
        var x = itemEmbedding.forward(items) * Math.Sqrt(Width) + positionEmbedding.forward(positions);
        x = embeddingDropout.forward(x) * keep;
        foreach (var block in blocks) x = block.forward(x) * keep;
        return (finalNorm.forward(x) * keep).MoveToOuterDisposeScope();
    }

    /// <summary>The scores of given candidate items: ⟨state, embedding(candidate)⟩.</summary>
    /// <param name="states">(…, width) user states.</param>
    /// <param name="candidates">(…) or (…, candidates) item ids, broadcasting against the states' leading shape.</param>
    public Tensor ScoreItems(Tensor states, Tensor candidates)
    {
        using var scope = NewDisposeScope();
        var e = itemEmbedding.forward(candidates);
        var scores = candidates.dim() == states.dim() ? (states.unsqueeze(-2) * e).sum(-1) : (states * e).sum(-1);
        return scores.MoveToOuterDisposeScope();
    }

    /// <summary>The score of every item (column 0, padding, is −∞) after each position: states · Eᵀ.</summary>
    /// <param name="states">(…, width)</param>
    /// <returns>(…, ItemCount + 1)</returns>
    public Tensor ScoreAllItems(Tensor states)
    {
        using var scope = NewDisposeScope();
        var scores = states.matmul(itemEmbedding.weight!.t());
        var padding = zeros(ItemCount + 1, dtype: ScalarType.Bool, device: scores.device);
        padding[0] = true;
        return scores.masked_fill(padding, double.NegativeInfinity).MoveToOuterDisposeScope();
    }

    /// <summary>Next-item scores for each history: the state at the last position against every item.</summary>
    /// <param name="histories">(batch, MaxLength) left-padded item ids.</param>
    /// <returns>(batch, ItemCount + 1)</returns>
    public Tensor NextItemScores(Tensor histories)
    {
        using var scope = NewDisposeScope();
        var states = forward(histories);
        return ScoreAllItems(states.select(1, states.shape[1] - 1)).MoveToOuterDisposeScope();
    }
}
