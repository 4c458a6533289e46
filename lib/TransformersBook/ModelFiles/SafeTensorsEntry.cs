namespace TransformersBook.ModelFiles;

/// <summary>One tensor as a safetensors header describes it: name, dtype, shape and its byte range in the data section.</summary>
/// <param name="Name">The tensor's key, e.g. <c>blocks.0.attention.qkv.weight</c>.</param>
/// <param name="Dtype">The format's dtype name, e.g. <c>F32</c>.</param>
/// <param name="Shape">The dimensions; empty for a scalar.</param>
/// <param name="Begin">First byte, counted from the start of the data section (just after the header).</param>
/// <param name="End">One past the last byte, counted the same way.</param>
public sealed record SafeTensorsEntry(string Name, string Dtype, IReadOnlyList<long> Shape, long Begin, long End)
{
    /// <summary>Bytes the tensor occupies: <see cref="End"/> − <see cref="Begin"/>.</summary>
    public long ByteLength => End - Begin;
}
