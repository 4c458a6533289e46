namespace TransformersBook.ModelFiles;

/// <summary>A validated safetensors header: the tensors in file order, the free-text metadata, and where the data begins.</summary>
/// <param name="Entries">The tensors, sorted by their first byte.</param>
/// <param name="Metadata">The <c>__metadata__</c> map of strings (empty when the file has none).</param>
/// <param name="HeaderLength">N, the JSON header's length in bytes including padding; the data begins at byte 8 + N.</param>
public sealed record SafeTensorsHeader(IReadOnlyList<SafeTensorsEntry> Entries, IReadOnlyDictionary<string, string> Metadata, long HeaderLength)
{
    /// <summary>The file offset of the data section: 8 + <see cref="HeaderLength"/>.</summary>
    public long DataStart => 8 + HeaderLength;
}
