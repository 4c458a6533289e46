using TorchSharp;
using static TorchSharp.torch;

namespace TransformersBook.Instructions;

/// <summary>
/// Exchanges of different lengths padded into one batch: inputs and targets (batch, time) padded on the right with
/// id 0, and a float loss mask (batch, time) that is 1 where the loss counts and 0 on padding
/// (and, for response-only training, on the prompt).
/// </summary>
/// <param name="Input">(batch, time) input ids.</param>
/// <param name="Target">(batch, time) next-token ids (0 on padding).</param>
/// <param name="LossMask">(batch, time) 1 where the loss counts, else 0.</param>
public sealed record InstructionBatch(Tensor Input, Tensor Target, Tensor LossMask)
{
    /// <summary>Pads the examples to the longest and builds the loss mask.</summary>
    /// <param name="examples">The exchanges.</param>
    /// <param name="responseOnly">True: the mask is the examples' <see cref="ChatExample.TargetMask"/>; false: 1 on every real (non-padding) position.</param>
    /// <param name="device">Where the tensors go (null: CPU).</param>
    public static InstructionBatch Collate(IReadOnlyList<ChatExample> examples, bool responseOnly, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        if (examples.Count == 0) throw new ArgumentException("a batch needs at least one example.", nameof(examples));
        int time = examples.Max(e => e.Tokens.Length - 1);
        var input = new long[examples.Count * time];
        var target = new long[examples.Count * time];
        var mask = new float[examples.Count * time];
        for (int b = 0; b < examples.Count; b++)
        {
            var example = examples[b];
            var (x, y, m) = (example.Inputs, example.Targets, example.TargetMask);
            for (int t = 0; t < x.Length; t++)
            {
                input[b * time + t] = x[t];
                target[b * time + t] = y[t];
                mask[b * time + t] = !responseOnly || m[t] ? 1f : 0f;
            }
        }
        long[] shape = [examples.Count, time];
        return new InstructionBatch(tensor(input, shape, device: device), tensor(target, shape, device: device), tensor(mask, shape, device: device));
    }

    /// <summary>The targets with −100 where the mask is 0, for a cross-entropy with <c>ignore_index: -100</c>.</summary>
    public Tensor IgnoreIndexTargets() => Target.masked_fill(LossMask.eq(0), -100);
}
