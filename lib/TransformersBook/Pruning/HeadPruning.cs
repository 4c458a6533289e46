using TransformersBook.Attention;
using TransformersBook.Models;
using static TorchSharp.torch;

namespace TransformersBook.Pruning;

/// <summary>
/// Structured pruning of attention heads (Michel et al., 2019; Voita et al., 2019). Head h of a layer contributes
/// W_O[:, h·d_k : (h+1)·d_k] · head_h to the output, so zeroing those columns of the output projection removes the
/// head exactly; <see cref="Remove"/> then drops its rows of W_QKV and its columns of W_O for a smaller dense layer.
/// </summary>
public static class HeadPruning
{
    /// <summary>Zeroes the output-projection columns of the given heads, in place: the layer then computes as if they were absent.</summary>
    /// <param name="attention">The attention layer, changed in place.</param>
    /// <param name="heads">Head indices, from 0.</param>
    public static void Mask(CausalSelfAttention attention, IEnumerable<int> heads)
    {
        ArgumentNullException.ThrowIfNull(attention);
        ArgumentNullException.ThrowIfNull(heads);
        var weight = attention.OutputProjection.weight!;
        long headSize = weight.shape[1] / attention.Heads;
        using var noGrad = no_grad();
        foreach (int h in heads)
        {
            if (h < 0 || h >= attention.Heads) throw new ArgumentOutOfRangeException(nameof(heads), h, $"the layer has {attention.Heads} heads.");
            using var scope = NewDisposeScope();
            weight.narrow(1, h * headSize, headSize).zero_();
        }
    }

    /// <summary>
    /// Scores every head of <paramref name="model"/> by how much <paramref name="loss"/> rises when that head alone is
    /// masked (the other heads intact): [block, head] → loss with the head masked − loss of the model as it is.
    /// The model's weights are restored after each head.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="loss">Evaluates the model's loss on a fixed calibration set.</param>
    public static double[,] LossIncrease(Gpt model, Func<double> loss)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(loss);
        double baseline = loss();
        var scores = new double[model.Blocks.Count, model.Config.Heads];
        for (int b = 0; b < model.Blocks.Count; b++)
        {
            var attention = model.Blocks[b].Attention;
            var saved = attention.OutputProjection.weight!.detach().clone();
            for (int h = 0; h < model.Config.Heads; h++)
            {
                Mask(attention, new[] { h });
                scores[b, h] = loss() - baseline;
                using var noGrad = no_grad();
                attention.OutputProjection.weight!.copy_(saved);
            }
            saved.Dispose();
        }
        return scores;
    }

    /// <summary>The attention layer with only <paramref name="keptHeads"/>: smaller dense weight matrices, the same output as masking the others.</summary>
    /// <param name="attention">The full layer (not changed).</param>
    /// <param name="keptHeads">The heads to keep, from 0.</param>
    public static PrunedAttention Remove(CausalSelfAttention attention, IReadOnlyList<int> keptHeads)
    {
        ArgumentNullException.ThrowIfNull(attention);
        ArgumentNullException.ThrowIfNull(keptHeads);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var qkv = attention.QkvProjection;
        var output = attention.OutputProjection;
        long width = output.weight!.shape[0];
        long headSize = width / attention.Heads;
        // Rows of W_QKV: queries [0, d), keys [d, 2d), values [2d, 3d); head h owns h·d_k … (h+1)·d_k in each.
        var rows = new List<long>();
        foreach (int part in new[] { 0, 1, 2 })
            foreach (int h in keptHeads)
                for (long i = 0; i < headSize; i++) rows.Add(part * width + h * headSize + i);
        var columns = keptHeads.SelectMany(h => Enumerable.Range(0, (int)headSize).Select(i => h * headSize + i)).ToArray();
        var rowIndex = tensor(rows.ToArray(), device: qkv.weight!.device);
        var columnIndex = tensor(columns, device: qkv.weight!.device);
        var result = new PrunedAttention(
            qkv.weight!.index_select(0, rowIndex).detach().clone(),
            qkv.bias is null ? null : qkv.bias.index_select(0, rowIndex).detach().clone(),
            output.weight!.index_select(1, columnIndex).detach().clone(),
            output.bias?.detach().clone(),
            keptHeads.Count);
        result.MoveToOuterDisposeScope();
        return result;
    }
}

/// <summary>
/// Causal multi-head self-attention after head removal: W_QKV (3·k·d_k, d), W_O (d, k·d_k) for k kept heads. The
/// matrix products shrink with k; the residual width d is unchanged.
/// </summary>
/// <param name="QkvWeight">(3·k·d_k, d): queries, keys, values of the kept heads.</param>
/// <param name="QkvBias">(3·k·d_k) or null.</param>
/// <param name="OutputWeight">(d, k·d_k).</param>
/// <param name="OutputBias">(d) or null.</param>
/// <param name="Heads">k, the heads kept.</param>
public sealed record PrunedAttention(Tensor QkvWeight, Tensor? QkvBias, Tensor OutputWeight, Tensor? OutputBias, int Heads)
{
    /// <summary>softmax(QKᵀ/√d_k + causal mask)V per kept head, concatenated and projected back to width d.</summary>
    /// <param name="x">(batch, time, d)</param>
    public Tensor Forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scope = NewDisposeScope();
        long b = x.shape[0], t = x.shape[1];
        long inner = OutputWeight.shape[1];
        var split = nn.functional.linear(x, QkvWeight, QkvBias).split(inner, dim: 2);
        Tensor Split(Tensor z) => z.view(b, t, Heads, inner / Heads).transpose(1, 2);
        var y = nn.functional.scaled_dot_product_attention(Split(split[0]), Split(split[1]), Split(split[2]), is_casual: true)
            .transpose(1, 2).contiguous().view(b, t, inner);
        return nn.functional.linear(y, OutputWeight, OutputBias).MoveToOuterDisposeScope();
    }

    /// <summary>Moves the weights to the enclosing dispose scope.</summary>
    public void MoveToOuterDisposeScope()
    {
        QkvWeight.MoveToOuterDisposeScope();
        QkvBias?.MoveToOuterDisposeScope();
        OutputWeight.MoveToOuterDisposeScope();
        OutputBias?.MoveToOuterDisposeScope();
    }
}
