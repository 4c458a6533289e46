using TorchSharp;
using static TorchSharp.torch;

namespace TransformersBook.Evaluation;

/// <summary>
/// Perplexity of a long token sequence under a causal language model with a fixed context window W. The windows start
/// every <c>stride</c> tokens; each window scores only the targets no earlier window scored, so every token after the
/// first is scored exactly once. Stride W gives non-overlapping windows (a token at offset k in its window sees only k
/// earlier tokens); a smaller stride gives each scored token at least W − stride tokens of context, at the cost of
/// about W / stride times as many forward passes.
/// </summary>
public static class SlidingWindowPerplexity
{
    /// <summary>The start of every window and the first position (within it) whose target it scores.</summary>
    /// <param name="length">Tokens in the sequence (targets are positions 1..length−1).</param>
    /// <param name="window">W, the model's context length.</param>
    /// <param name="stride">Tokens between window starts, 1..W.</param>
    public static IReadOnlyList<(int Start, int FirstScored)> Windows(int length, int window, int stride)
    {
        if (window < 1 || stride < 1 || stride > window) throw new ArgumentOutOfRangeException(nameof(stride), stride, "Use 1 ≤ stride ≤ window.");
        if (length < 2) throw new ArgumentOutOfRangeException(nameof(length), length, "At least two tokens are needed.");
        int w = Math.Min(window, length - 1);
        var windows = new List<(int, int)>();
        int scoredUpTo = 0;                                   // targets 1..scoredUpTo are done
        for (int start = 0; scoredUpTo < length - 1; start += stride)
        {
            int s = Math.Min(start, length - 1 - w);          // the last window ends at the last token
            int lastTarget = s + w;                           // the window predicts targets s+1..s+w
            windows.Add((s, scoredUpTo + 1 - (s + 1)));       // first new target, as a position in the window
            scoredUpTo = lastTarget;
        }
        return windows;
    }

    /// <summary>Scores <paramref name="tokens"/> with <paramref name="model"/> (token ids (B, W) → logits (B, W, V)).</summary>
    /// <param name="model">The language model's forward pass.</param>
    /// <param name="tokens">The sequence.</param>
    /// <param name="window">W.</param>
    /// <param name="stride">Tokens between window starts.</param>
    /// <param name="device">Where the model runs.</param>
    /// <param name="batchSize">Windows per forward pass.</param>
    public static PerplexityResult Evaluate(Func<Tensor, Tensor> model, long[] tokens, int window, int stride, Device? device = null, int batchSize = 32)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokens);
        var windows = Windows(tokens.Length, window, stride);
        int w = Math.Min(window, tokens.Length - 1);
        double total = 0, context = 0;
        long scored = 0;
        using var _ = no_grad();
        for (int b0 = 0; b0 < windows.Count; b0 += batchSize)
        {
            using var scope = NewDisposeScope();
            var chunk = windows.Skip(b0).Take(batchSize).ToArray();
            var inputs = new long[chunk.Length * w];
            var targets = new long[chunk.Length * w];
            for (int i = 0; i < chunk.Length; i++)
                for (int t = 0; t < w; t++)
                {
                    inputs[i * w + t] = tokens[chunk[i].Start + t];
                    targets[i * w + t] = t >= chunk[i].FirstScored ? tokens[chunk[i].Start + t + 1] : -100;
                    if (t >= chunk[i].FirstScored) { scored++; context += t + 1; }
                }
            var x = torch.tensor(inputs, new long[] { chunk.Length, w }, ScalarType.Int64, device ?? CPU);
            var y = torch.tensor(targets, new long[] { chunk.Length * w }, ScalarType.Int64, device ?? CPU);
            var logits = model(x);
            var loss = nn.functional.cross_entropy(logits.reshape(chunk.Length * w, logits.shape[2]).to_type(ScalarType.Float32), y,
                ignore_index: -100, reduction: nn.Reduction.Sum);
            total += loss.cpu().item<float>();
        }
        return new PerplexityResult(total, scored, windows.Count, context / scored);
    }
}
