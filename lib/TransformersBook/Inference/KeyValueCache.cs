using TorchSharp;
using static TorchSharp.torch;

namespace TransformersBook.Inference;

/// <summary>
/// The keys and values a decoder has already computed, one pair of (batch, heads, positions, d_k) tensors per layer.
/// A new token's query attends to every cached key, so incremental decoding computes keys and values for the new
/// token only and appends them here (Pope et al., 2022). The tensors live outside any dispose scope until the cache
/// replaces them or is disposed.
/// </summary>
public sealed class KeyValueCache : IDisposable
{
    readonly Tensor?[] keys;
    readonly Tensor?[] values;

    /// <param name="layers">Decoder layers; each keeps its own keys and values.</param>
    public KeyValueCache(int layers)
    {
        if (layers < 1) throw new ArgumentOutOfRangeException(nameof(layers), layers, "a cache needs at least one layer.");
        keys = new Tensor?[layers];
        values = new Tensor?[layers];
    }

    /// <summary>Layers the cache holds.</summary>
    public int Layers => keys.Length;

    /// <summary>Positions cached (the same in every layer once a forward pass has run through all of them).</summary>
    public long Length => keys[0] is Tensor k ? k.shape[2] : 0;

    /// <summary>Bytes the cached keys and values of every layer occupy.</summary>
    public long Bytes => keys.Concat(values).Sum(t => t is null ? 0 : t.numel() * t.ElementSize);

    /// <summary>
    /// Appends a layer's keys and values for new positions and returns that layer's whole cache, old positions first.
    /// The returned tensors belong to the cache: do not dispose them.
    /// </summary>
    /// <param name="layer">Which layer.</param>
    /// <param name="newKeys">(batch, heads, new positions, d_k)</param>
    /// <param name="newValues">(batch, heads, new positions, d_k)</param>
    public (Tensor Keys, Tensor Values) Append(int layer, Tensor newKeys, Tensor newValues)
    {
        keys[layer] = Concatenate(keys[layer], newKeys);
        values[layer] = Concatenate(values[layer], newValues);
        return (keys[layer]!, values[layer]!);
    }

    /// <summary>Keeps the first <paramref name="length"/> positions of every layer (speculative decoding drops rejected drafts this way).</summary>
    public void Truncate(long length)
    {
        if (length < 0) throw new ArgumentOutOfRangeException(nameof(length), length, "a length cannot be negative.");
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i] = Shorten(keys[i], length);
            values[i] = Shorten(values[i], length);
        }
    }

    /// <summary>Frees every cached tensor.</summary>
    public void Dispose()
    {
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i]?.Dispose();
            values[i]?.Dispose();
            keys[i] = values[i] = null;
        }
    }

    static Tensor Concatenate(Tensor? cached, Tensor added)
    {
        var joined = cached is null ? added.detach().clone() : cat(new[] { cached, added.detach() }, dim: 2);
        joined.DetachFromDisposeScope();
        cached?.Dispose();
        return joined;
    }

    static Tensor? Shorten(Tensor? cached, long length)
    {
        if (cached is null || cached.shape[2] <= length) return cached;
        var kept = cached.narrow(2, 0, length).clone();
        kept.DetachFromDisposeScope();
        cached.Dispose();
        return kept;
    }
}
