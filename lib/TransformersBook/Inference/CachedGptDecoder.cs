using TorchSharp;
using TransformersBook.Models;
using TransformersBook.Attention;
using static TorchSharp.torch;

namespace TransformersBook.Inference;

/// <summary>
/// Incremental decoding of the book's <see cref="Gpt"/> with a <see cref="KeyValueCache"/>: each call embeds only the
/// new tokens (at their true positions), computes their queries, keys and values, appends the keys and values to the
/// cache and lets the new queries attend to every cached position. The logits equal those of <see cref="DecoderLanguageModel{TBlock}.forward"/>
/// on the whole sequence, but a step costs O(T·d) attention work instead of recomputing all T positions. The model
/// must be in evaluation mode (the cached path has no dropout).
/// </summary>
public sealed class CachedGptDecoder
{
    /// <param name="model">The GPT whose weights the decoder reads; it is not copied.</param>
    public CachedGptDecoder(Gpt model) => Model = model;

    /// <summary>The model decoded.</summary>
    public Gpt Model { get; }

    /// <summary>An empty cache with one slot per layer of the model.</summary>
    public KeyValueCache NewCache() => new(Model.Config.Layers);

    /// <summary>
    /// Logits for <paramref name="newTokens"/>, which continue the positions already in <paramref name="cache"/>;
    /// their keys and values are appended to it.
    /// </summary>
    /// <param name="newTokens">(batch, new positions) token ids; the cache's batch must match.</param>
    /// <param name="cache">The cache of the earlier positions (empty for a prompt).</param>
    /// <returns>(batch, new positions, n_vocab)</returns>
    public Tensor Forward(Tensor newTokens, KeyValueCache cache)
    {
        if (Model.training) throw new InvalidOperationException("call eval() first: the cached path has no dropout.");
        long past = cache.Length, time = newTokens.shape[1];
        if (past + time > Model.Config.ContextLength)
            throw new ArgumentException($"{past} cached and {time} new positions exceed the context of {Model.Config.ContextLength}.", nameof(newTokens));
        using var scope = NewDisposeScope();
        var positions = arange(past, past + time, dtype: ScalarType.Int64, device: newTokens.device);
        var x = Model.TokenEmbedding.forward(newTokens) + Model.PositionEmbedding.forward(positions);
        // New position i (absolute past + i) may attend to keys 0 … past + i: an additive 0/−∞ mask, needed only for several new tokens.
        Tensor? mask = time == 1 ? null : AttentionMasks.ToAdditive(AttentionMasks.CausalAfter(past, time, newTokens.device));
        var blocks = Model.Blocks;
        for (int layer = 0; layer < blocks.Count; layer++)
        {
            var block = blocks[layer];
            var attention = block.Attention;
            long b = x.shape[0], c = x.shape[2], heads = attention.Heads;
            var qkv = attention.QkvProjection.forward(block.AttentionNorm.forward(x)).split(c, dim: 2);
            Tensor Heads(Tensor z) => z.view(b, time, heads, c / heads).transpose(1, 2);
            var (keys, values) = cache.Append(layer, Heads(qkv[1]), Heads(qkv[2]));
            var y = nn.functional.scaled_dot_product_attention(Heads(qkv[0]), keys, values, attn_mask: mask);
            x = x + attention.OutputProjection.forward(y.transpose(1, 2).contiguous().view(b, time, c));
            x = x + block.FeedForwardSublayer.forward(block.FeedForwardNorm.forward(x));
        }
        return Model.Logits(Model.FinalNorm.forward(x)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// One new token for each of several sequences, each with its own cache of its own length (the ragged batch of a
    /// serving engine). Everything outside attention — embeddings, projections, feed-forward blocks, logits — runs as one
    /// (sequences, width) batch; attention runs per sequence against that sequence's cache, as Orca's selective batching
    /// does (Yu et al., 2022). Row i of the logits equals <see cref="Forward"/> of token i alone on cache i.
    /// </summary>
    /// <param name="newTokens">(sequences) token ids, one per sequence.</param>
    /// <param name="caches">One cache per sequence, in the same order; each receives its sequence's keys and values.</param>
    /// <returns>(sequences, n_vocab)</returns>
    public Tensor ForwardEach(Tensor newTokens, IReadOnlyList<KeyValueCache> caches)
    {
        ArgumentNullException.ThrowIfNull(caches);
        if (Model.training) throw new InvalidOperationException("call eval() first: the cached path has no dropout.");
        long count = newTokens.shape[0];
        if (count != caches.Count) throw new ArgumentException($"{count} tokens but {caches.Count} caches.", nameof(caches));
        foreach (var cache in caches)
            if (cache.Length + 1 > Model.Config.ContextLength)
                throw new ArgumentException($"a cache of {cache.Length} positions is full (context {Model.Config.ContextLength}).", nameof(caches));
        using var scope = NewDisposeScope();
        var positions = tensor(caches.Select(c => c.Length).ToArray(), device: newTokens.device);
        var x = Model.TokenEmbedding.forward(newTokens) + Model.PositionEmbedding.forward(positions);
        var blocks = Model.Blocks;
        for (int layer = 0; layer < blocks.Count; layer++)
        {
            var block = blocks[layer];
            var attention = block.Attention;
            long c = x.shape[1], heads = attention.Heads;
            var qkv = attention.QkvProjection.forward(block.AttentionNorm.forward(x)).split(c, dim: 1);
            var outputs = new Tensor[count];
            for (int i = 0; i < count; i++)
            {
                // Sequence i's query, key and value as (1, heads, 1, d_k): one position, attending to its own cache.
                Tensor Heads(Tensor z) => z.narrow(0, i, 1).view(1, 1, heads, c / heads).transpose(1, 2);
                var (keys, values) = caches[i].Append(layer, Heads(qkv[1]), Heads(qkv[2]));
                outputs[i] = nn.functional.scaled_dot_product_attention(Heads(qkv[0]), keys, values).reshape(1, c);
            }
            x = x + attention.OutputProjection.forward(cat(outputs, dim: 0));
            x = x + block.FeedForwardSublayer.forward(block.FeedForwardNorm.forward(x));
        }
        return Model.Logits(Model.FinalNorm.forward(x)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Extends each prompt by <paramref name="newTokens"/> tokens: the prompt in one cached pass, then one token per
    /// pass; <paramref name="choose"/> turns the last position's (batch, n_vocab) logits into (batch, 1) token ids.
    /// </summary>
    /// <param name="prompt">(batch, time) token ids; prompt plus new tokens must fit in n_ctx.</param>
    /// <param name="newTokens">Tokens to add.</param>
    /// <param name="choose">The decoding rule: greedy (argmax), sampling, or any filtered sampler.</param>
    /// <returns>(batch, time + newTokens)</returns>
    public Tensor Generate(Tensor prompt, int newTokens, Func<Tensor, Tensor> choose)
    {
        using var noGrad = no_grad();
        using var cache = NewCache();
        var pieces = new List<Tensor> { prompt };
        var input = prompt;
        for (int i = 0; i < newTokens; i++)
        {
            using var scope = NewDisposeScope();
            var logits = Forward(input, cache);
            var next = choose(logits.select(1, logits.shape[1] - 1)).MoveToOuterDisposeScope();
            pieces.Add(next);
            input = next;
        }
        var sequence = cat(pieces, dim: 1);
        foreach (var piece in pieces.Skip(1)) piece.Dispose();
        return sequence;
    }

    /// <summary>The argmax rule for <see cref="Generate"/>: (batch, n_vocab) logits → (batch, 1) ids.</summary>
    public static Tensor Greedy(Tensor logits) => logits.argmax(-1, keepdim: true);
}
