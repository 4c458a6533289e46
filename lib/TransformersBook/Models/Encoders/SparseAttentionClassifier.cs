using TorchSharp;
using TorchSharp.Modules;
using TransformersBook.Blocks;
using static TorchSharp.torch;

namespace TransformersBook.Models;

/// <summary>
/// A small encoder that reads a whole sequence and classifies it from the representation of its last position — the
/// shape of a long-range retrieval task, where a query at the end asks for something placed far earlier. Every layer
/// uses the same attention pattern (see <see cref="SparseAttentionEncoderBlock"/>). There is no positional encoding:
/// a banded pattern carries position by itself, and the retrieval task needs none.
/// </summary>
public sealed class SparseAttentionClassifier : nn.Module<Tensor, Tensor>
{
    readonly Embedding embedding;
    readonly ModuleList<SparseAttentionEncoderBlock> blocks;
    readonly LayerNorm finalNorm;
    readonly Linear head;

    /// <param name="vocabulary">Token ids are 0 … vocabulary − 1.</param>
    /// <param name="classes">Output classes.</param>
    /// <param name="width">Model width d.</param>
    /// <param name="heads">Attention heads per layer.</param>
    /// <param name="layers">Encoder blocks.</param>
    /// <param name="keep">(n, n) attention pattern shared by every layer (all true for full attention).</param>
    /// <param name="linear">Linear attention instead of masked softmax attention.</param>
    public SparseAttentionClassifier(int vocabulary, int classes, int width, int heads, int layers, Tensor keep, bool linear = false)
        : base(nameof(SparseAttentionClassifier))
    {
        embedding = nn.Embedding(vocabulary, width);
        blocks = nn.ModuleList(Enumerable.Range(0, layers).Select(_ => new SparseAttentionEncoderBlock(width, heads, keep, linear)).ToArray());
        finalNorm = nn.LayerNorm(width);
        head = nn.Linear(width, classes);
        RegisterComponents();
    }

    /// <summary>(batch, n) token ids → (batch, classes) logits, read at the last position.</summary>
    public override Tensor forward(Tensor tokens)
    {
        using var scope = NewDisposeScope();
        var x = embedding.forward(tokens);
        foreach (var block in blocks) x = block.forward(x);
        var last = x.select(1, tokens.shape[1] - 1);
        return head.forward(finalNorm.forward(last)).MoveToOuterDisposeScope();
    }
}
