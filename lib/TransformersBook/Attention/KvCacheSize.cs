namespace TransformersBook.Attention;

/// <summary>
/// The memory a decoder's key/value cache takes: for every layer, every key/value head and every cached position it
/// keeps one key and one value vector of d_k numbers. Multi-query (Shazeer, 2019) and grouped-query attention
/// (Ainslie et al., 2023) shrink it by h/g, since only g key/value heads are cached.
/// </summary>
public static class KvCacheSize
{
    /// <summary>2 · layers · g · d_k · sequence · batch · bytes per element.</summary>
    /// <param name="layers">Decoder layers, each with its own cache.</param>
    /// <param name="keyValueHeads">g, key/value heads per layer (h for multi-head attention).</param>
    /// <param name="headSize">d_k.</param>
    /// <param name="sequence">Cached positions (prompt plus generated tokens).</param>
    /// <param name="batch">Sequences decoded together.</param>
    /// <param name="bytesPerElement">2 for float16/bfloat16, 4 for float32, 1 for int8.</param>
    public static long Bytes(int layers, int keyValueHeads, int headSize, long sequence, int batch, int bytesPerElement)
    {
        if (layers < 0 || keyValueHeads < 0 || headSize < 0 || sequence < 0 || batch < 0 || bytesPerElement < 0)
            throw new ArgumentOutOfRangeException(nameof(layers), "sizes cannot be negative.");
        // Keys and values: the factor 2. checked() turns an overflow into an exception rather than a wrong answer.
        return checked(2L * layers * keyValueHeads * headSize * sequence * batch * bytesPerElement);
    }
}
