using static TorchSharp.torch;

namespace TransformersBook.Models;

/// <summary>
/// Greedy decoding for a causal language model over a batch of prompts of different lengths. Each prompt is written
/// at the start of its row and the rows are padded on the right: a causal model never looks to the right, so the
/// padding changes nothing before a row's end, and every row keeps its absolute positions (left padding would shift
/// them, which a model with learned positions notices).
/// </summary>
public static class GreedyCompletion
{
    /// <summary>
    /// Extends every prompt with the model's most likely next token until it produces <paramref name="endId"/>,
    /// has added <paramref name="maxNewTokens"/> tokens, or fills the <paramref name="context"/>.
    /// </summary>
    /// <param name="logits">The model: (batch, time) ids → (batch, time, vocabulary) next-token logits.</param>
    /// <param name="prompts">The prompts' token ids, each non-empty and shorter than <paramref name="context"/>.</param>
    /// <param name="context">Row length given to the model (its context).</param>
    /// <param name="maxNewTokens">Most tokens added to a prompt, the end token not counted.</param>
    /// <param name="endId">The token that ends an answer; it is not included in the result.</param>
    /// <param name="padId">What fills a row after its tokens.</param>
    /// <param name="device">Where the model runs.</param>
    /// <param name="batchSize">Rows per forward pass.</param>
    /// <returns>For each prompt, the tokens chosen after it.</returns>
    public static long[][] Complete(Func<Tensor, Tensor> logits, IReadOnlyList<long[]> prompts, int context, int maxNewTokens,
        long endId, long padId, Device? device = null, int batchSize = 128)
    {
        ArgumentNullException.ThrowIfNull(logits);
        return Complete((ids, last) =>
        {
            var all = logits(ids);
            return all.gather(1, last.view(-1, 1, 1).expand(-1, 1, all.shape[2])).squeeze(1);
        }, prompts, context, maxNewTokens, endId, padId, device, batchSize);
    }

    /// <summary>
    /// <see cref="Complete(Func{Tensor, Tensor}, IReadOnlyList{long[]}, int, int, long, long, Device?, int)"/> for a
    /// model that can score the next token at one position per row, which spares it the vocabulary-wide output at
    /// every other position.
    /// </summary>
    /// <param name="nextLogits">(batch, time) ids and (batch) positions → (batch, vocabulary) scores of the token after
    /// each row's position.</param>
    /// <param name="prompts">The prompts' token ids, each non-empty and shorter than <paramref name="context"/>.</param>
    /// <param name="context">Row length given to the model (its context).</param>
    /// <param name="maxNewTokens">Most tokens added to a prompt, the end token not counted.</param>
    /// <param name="endId">The token that ends an answer; it is not included in the result.</param>
    /// <param name="padId">What fills a row after its tokens.</param>
    /// <param name="device">Where the model runs.</param>
    /// <param name="batchSize">Rows per forward pass.</param>
    /// <returns>For each prompt, the tokens chosen after it.</returns>
    public static long[][] Complete(Func<Tensor, Tensor, Tensor> nextLogits, IReadOnlyList<long[]> prompts, int context, int maxNewTokens,
        long endId, long padId, Device? device = null, int batchSize = 128)
    {
        ArgumentNullException.ThrowIfNull(nextLogits);
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentOutOfRangeException.ThrowIfNegative(maxNewTokens);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        for (int i = 0; i < prompts.Count; i++)
            if (prompts[i].Length == 0 || prompts[i].Length >= context)
                throw new ArgumentException($"prompt {i} has {prompts[i].Length} tokens; it needs 1 to {context - 1} to leave room for an answer.", nameof(prompts));

        var results = new long[prompts.Count][];
        using var noGrad = no_grad();
        for (int start = 0; start < prompts.Count; start += batchSize)
        {
            int rows = Math.Min(batchSize, prompts.Count - start);
            var ids = new long[rows * context];
            Array.Fill(ids, padId);
            var lengths = new int[rows];
            var added = new List<long>[rows];
            var done = new bool[rows];
            for (int r = 0; r < rows; r++)
            {
                prompts[start + r].CopyTo(ids, r * context);
                lengths[r] = prompts[start + r].Length;
                added[r] = new List<long>();
                done[r] = maxNewTokens == 0;
            }
            while (!done.All(d => d))
            {
                using var scope = NewDisposeScope();
                var last = tensor(lengths.Select(l => (long)l - 1).ToArray(), device: device);
                var choices = nextLogits(tensor(ids, new long[] { rows, context }, device: device), last).argmax(-1).cpu().data<long>().ToArray();
                for (int r = 0; r < rows; r++)
                {
                    if (done[r]) continue;
                    long next = choices[r];
                    if (next == endId) { done[r] = true; continue; }
                    added[r].Add(next);
                    ids[r * context + lengths[r]] = next;
                    lengths[r]++;
                    done[r] = added[r].Count == maxNewTokens || lengths[r] == context;
                }
            }
            for (int r = 0; r < rows; r++) results[start + r] = added[r].ToArray();
        }
        return results;
    }
}
