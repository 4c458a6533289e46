using TorchSharp;
using TorchSharp.Modules;
using TransformersBook.Blocks;
using static TorchSharp.torch;

namespace TransformersBook.Models;

/// <summary>
/// A small causal sequence model in which only the sequence mixer changes, for comparing attention, S4D, the selective
/// SSM and Hyena on the same task: token embedding, <c>layers</c> pre-norm blocks x ← x + Mixer(LN(x)),
/// x ← x + FFN(LN(x)), a final LayerNorm and a linear read-out at every position. Only attention, which cannot tell
/// positions apart by itself, gets learned position embeddings; the other mixers are ordered by construction.
/// </summary>
public sealed class SequenceMixerModel : nn.Module<Tensor, Tensor>
{
    readonly Embedding tokenEmbedding;
    readonly Embedding? positionEmbedding;
    readonly ModuleList<nn.Module<Tensor, Tensor>> mixerNorms;
    readonly ModuleList<nn.Module<Tensor, Tensor>> mixers;
    readonly ModuleList<nn.Module<Tensor, Tensor>> feedForwardNorms;
    readonly ModuleList<nn.Module<Tensor, Tensor>> feedForwards;
    readonly LayerNorm finalNorm;
    readonly Linear readOut;

    /// <param name="kind">The sequence mixer of every block.</param>
    /// <param name="vocabularySize">Input tokens and output classes.</param>
    /// <param name="width">d, the model width.</param>
    /// <param name="layers">Blocks.</param>
    /// <param name="maxLength">The longest input (attention's position table).</param>
    /// <param name="heads">Attention heads.</param>
    /// <param name="stateSize">N for the state-space mixers.</param>
    /// <param name="feedForwardMultiple">The feed-forward hidden width, in multiples of d.</param>
    public SequenceMixerModel(SequenceMixerKind kind, int vocabularySize, int width, int layers, int maxLength,
        int heads = 2, int stateSize = 16, int feedForwardMultiple = 2) : base(nameof(SequenceMixerModel))
    {
        if (layers < 1) throw new ArgumentOutOfRangeException(nameof(layers), "a model needs at least one block.");
        Kind = kind;
        MaxLength = maxLength;
        tokenEmbedding = nn.Embedding(vocabularySize, width);
        if (kind == SequenceMixerKind.Attention) positionEmbedding = nn.Embedding(maxLength, width);
        mixerNorms = nn.ModuleList<nn.Module<Tensor, Tensor>>(Enumerable.Range(0, layers).Select(_ => (nn.Module<Tensor, Tensor>)nn.LayerNorm(width)).ToArray());
        mixers = nn.ModuleList(Enumerable.Range(0, layers).Select(_ => SequenceMixers.Create(kind, width, heads, stateSize)).ToArray());
        feedForwardNorms = nn.ModuleList<nn.Module<Tensor, Tensor>>(Enumerable.Range(0, layers).Select(_ => (nn.Module<Tensor, Tensor>)nn.LayerNorm(width)).ToArray());
        feedForwards = nn.ModuleList<nn.Module<Tensor, Tensor>>(Enumerable.Range(0, layers).Select(_ => (nn.Module<Tensor, Tensor>)new FeedForward(width, feedForwardMultiple * width)).ToArray());
        finalNorm = nn.LayerNorm(width);
        readOut = nn.Linear(width, vocabularySize);
        RegisterComponents();
    }

    /// <summary>The sequence mixer of every block.</summary>
    public SequenceMixerKind Kind { get; }

    /// <summary>The longest input the model accepts.</summary>
    public int MaxLength { get; }

    /// <summary>The mixers, one per block.</summary>
    public IReadOnlyList<nn.Module<Tensor, Tensor>> Mixers => mixers.ToArray();

    /// <param name="tokens">(batch, time) token ids, time ≤ <see cref="MaxLength"/>.</param>
    /// <returns>(batch, time, vocabulary) logits; position t sees tokens ≤ t only.</returns>
    public override Tensor forward(Tensor tokens)
    {
        long time = tokens.shape[1];
        if (time > MaxLength) throw new ArgumentException($"the input has {time} positions; this model was built for at most {MaxLength}.", nameof(tokens));
        using var scope = NewDisposeScope();
        var x = tokenEmbedding.forward(tokens);
        if (positionEmbedding is not null) x = x + positionEmbedding.forward(arange(time, device: tokens.device));
        for (int i = 0; i < mixers.Count; i++)
        {
            x = x + mixers[i].forward(mixerNorms[i].forward(x));
            x = x + feedForwards[i].forward(feedForwardNorms[i].forward(x));
        }
        return readOut.forward(finalNorm.forward(x)).MoveToOuterDisposeScope();
    }
}
