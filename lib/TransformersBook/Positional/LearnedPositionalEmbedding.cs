using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TransformersBook.Positional;

/// <summary>
/// Absolute positions as a learned table, one width-sized vector per position, added to the token embeddings: the
/// choice of GPT (Radford et al., 2018) and BERT (Devlin et al., 2019). Vaswani et al. (2017) found it matched the
/// sinusoidal encoding; unlike it, the table has no row for positions past <c>maxLength</c>, so a model cannot run
/// on longer inputs than it was built for.
/// </summary>
public sealed class LearnedPositionalEmbedding : nn.Module<Tensor, Tensor>
{
    readonly Embedding table;

    /// <param name="maxLength">The longest sequence the table covers.</param>
    /// <param name="width">The model width d.</param>
    public LearnedPositionalEmbedding(int maxLength, int width) : base(nameof(LearnedPositionalEmbedding))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLength);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        MaxLength = maxLength;
        table = nn.Embedding(maxLength, width);
        // GPT-2's initialisation: small enough not to drown the token embeddings at the start of training.
        using (no_grad()) nn.init.normal_(table.weight!, 0.0, 0.02);
        RegisterComponents();
    }

    public int MaxLength { get; }

    /// <summary>The table, (maxLength, width): row p is the vector for position p.</summary>
    public Tensor Weight => table.weight!;

    /// <summary>Adds each position's vector to the embeddings.</summary>
    /// <param name="x">(batch, time, width) token embeddings, time ≤ <see cref="MaxLength"/>.</param>
    public override Tensor forward(Tensor x)
    {
        long time = x.shape[^2];
        if (time > MaxLength)
            throw new ArgumentException($"The sequence has {time} positions; the learned table covers {MaxLength}.", nameof(x));
        using var scope = NewDisposeScope();
        var positions = arange(time, dtype: ScalarType.Int64, device: x.device);
        return (x + table.forward(positions)).MoveToOuterDisposeScope();
    }
}
