using TorchSharp;
using TorchSharp.Modules;
using TransformersBook.Attention;
using TransformersBook.Blocks;
using static TorchSharp.torch;

namespace TransformersBook.Models;

/// <summary>
/// A Transformer-XL language model (Dai et al., 2019): a long text is read segment by segment, and every layer attends
/// to its own segment and to the states it saw in earlier segments (<see cref="RelativeMemoryAttention"/>), so the
/// reach grows with depth, about layers × (segment + memory) tokens, at the cost of one segment. With
/// <see cref="TransformerXlConfig.CompressedLength"/> &gt; 0 it is a Compressive Transformer (Rae et al., 2020): states
/// that leave the memory are averaged c at a time into a second, coarser memory instead of being forgotten.
/// Blocks are pre-norm; there is no absolute position embedding, only relative positions inside attention.
/// </summary>
public sealed class TransformerXl : nn.Module<Tensor, Tensor>
{
    readonly Embedding tokenEmbedding;
    readonly ModuleList<LayerNorm> attentionNorms;
    readonly ModuleList<RelativeMemoryAttention> attentions;
    readonly ModuleList<LayerNorm> feedForwardNorms;
    readonly ModuleList<FeedForward> feedForwards;
    readonly LayerNorm finalNorm;

    public TransformerXl(TransformerXlConfig config) : base(nameof(TransformerXl))
    {
        if (config.CompressedLength > 0 && config.CompressionRate < 1)
            throw new ArgumentOutOfRangeException(nameof(config), "a compressed memory needs a compression rate of at least 1.");
        Config = config;
        tokenEmbedding = nn.Embedding(config.VocabularySize, config.Width);
        attentionNorms = nn.ModuleList(Enumerable.Range(0, config.Layers).Select(_ => nn.LayerNorm(config.Width)).ToArray());
        attentions = nn.ModuleList(Enumerable.Range(0, config.Layers).Select(_ => new RelativeMemoryAttention(config.Width, config.Heads, config.AttentionWindow)).ToArray());
        feedForwardNorms = nn.ModuleList(Enumerable.Range(0, config.Layers).Select(_ => nn.LayerNorm(config.Width)).ToArray());
        feedForwards = nn.ModuleList(Enumerable.Range(0, config.Layers).Select(_ => new FeedForward(config.Width, 4 * config.Width)).ToArray());
        finalNorm = nn.LayerNorm(config.Width);
        RegisterComponents();
    }

    public TransformerXlConfig Config { get; }

    /// <summary>An empty memory for <paramref name="batch"/> sequences.</summary>
    public TransformerXlMemory EmptyMemory(long batch, Device? device = null)
    {
        var empty = Enumerable.Range(0, Config.Layers).Select(_ => zeros(batch, 0, Config.Width, device: device)).ToList();
        return new TransformerXlMemory(empty, Enumerable.Range(0, Config.Layers).Select(_ => zeros(batch, 0, Config.Width, device: device)).ToList());
    }

    /// <summary>Logits for one segment with no memory (a model that has read nothing before it).</summary>
    public override Tensor forward(Tensor tokens)
    {
        using var memory = EmptyMemory(tokens.shape[0], tokens.device);
        var (logits, next) = Step(tokens, memory);
        next.Dispose();
        return logits;
    }

    /// <summary>
    /// Reads one segment after the ones <paramref name="memory"/> remembers: next-token logits for the segment, and the
    /// memory to pass with the next segment (the caller disposes the old one).
    /// </summary>
    /// <param name="tokens">(batch, L) token ids.</param>
    /// <param name="memory">From <see cref="EmptyMemory"/> or the previous step.</param>
    public (Tensor Logits, TransformerXlMemory Memory) Step(Tensor tokens, TransformerXlMemory memory)
    {
        if (memory.States.Count != Config.Layers) throw new ArgumentException($"the memory has {memory.States.Count} layers; the model has {Config.Layers}.", nameof(memory));
        using var scope = NewDisposeScope();
        var x = tokenEmbedding.forward(tokens);
        var states = new List<Tensor>();
        var compressed = new List<Tensor>();
        for (int layer = 0; layer < Config.Layers; layer++)
        {
            // The layer's context: compressed states, then the memory, then this segment (oldest first).
            var remembered = cat(new[] { memory.Compressed[layer], memory.States[layer] }, dim: 1);
            var (kept, compressedKept) = Remember(memory.States[layer], memory.Compressed[layer], x.detach());
            states.Add(kept.MoveToOuterDisposeScope());
            compressed.Add(compressedKept.MoveToOuterDisposeScope());
            var norm = attentionNorms[layer];
            x = x + attentions[layer].forward(norm.forward(x), norm.forward(remembered));
            x = x + feedForwards[layer].forward(feedForwardNorms[layer].forward(x));
        }
        var logits = nn.functional.linear(finalNorm.forward(x), tokenEmbedding.weight!);
        return (logits.MoveToOuterDisposeScope(), new TransformerXlMemory(states, compressed));
    }

    /// <summary>The memory after a segment: the last M states; what falls out is compressed (or forgotten).</summary>
    (Tensor States, Tensor Compressed) Remember(Tensor states, Tensor compressed, Tensor segment)
    {
        var all = cat(new[] { states, segment }, dim: 1);
        long total = all.shape[1], keep = Math.Min(Config.MemoryLength, total);
        var kept = all.narrow(1, total - keep, keep).clone();
        if (Config.CompressedLength == 0) return (kept, compressed.clone());
        long evicted = total - keep, rate = Config.CompressionRate, pooled = evicted / rate;
        if (pooled == 0) return (kept, compressed.clone());
        // The newest evicted states that fill whole windows of c; a leftover of fewer than c oldest ones is dropped.
        var windows = all.narrow(1, evicted - pooled * rate, pooled * rate).view(all.shape[0], pooled, rate, all.shape[2]).mean(new long[] { 2 });
        var merged = cat(new[] { compressed, windows }, dim: 1);
        long keepCompressed = Math.Min(Config.CompressedLength, merged.shape[1]);
        return (kept, merged.narrow(1, merged.shape[1] - keepCompressed, keepCompressed).clone());
    }

    /// <summary>Mean next-token cross-entropy over a long sequence read in segments of <paramref name="segmentLength"/>, carrying the memory.</summary>
    /// <param name="tokens">(batch, T) inputs.</param>
    /// <param name="targets">(batch, T) the inputs shifted by one.</param>
    /// <param name="segmentLength">L.</param>
    /// <param name="lossPerPosition">If given, receives each position's loss summed over the batch: (T).</param>
    public Tensor SegmentedLoss(Tensor tokens, Tensor targets, int segmentLength, Tensor? lossPerPosition = null)
    {
        using var scope = NewDisposeScope();
        var memory = EmptyMemory(tokens.shape[0], tokens.device);
        var losses = new List<Tensor>();
        for (long start = 0; start < tokens.shape[1]; start += segmentLength)
        {
            long length = Math.Min(segmentLength, tokens.shape[1] - start);
            var (logits, next) = Step(tokens.narrow(1, start, length), memory);
            memory.Dispose();
            memory = next;
            losses.Add(nn.functional.cross_entropy(logits.reshape(-1, logits.shape[2]), targets.narrow(1, start, length).reshape(-1),
                reduction: nn.Reduction.None).view(tokens.shape[0], length));
        }
        memory.Dispose();
        var all = cat(losses, dim: 1);
        if (lossPerPosition is not null) lossPerPosition.copy_(all.detach().sum(0));
        return all.mean().MoveToOuterDisposeScope();
    }
}
