namespace TransformersBook.ModelFiles;

/// <summary>The rules of the safetensors format that <see cref="SafeTensors"/> checks, one per way a file can be malformed.</summary>
public enum SafeTensorsRule
{
    /// <summary>The file is shorter than the 8 bytes of the header length.</summary>
    HeaderLengthMissing,

    /// <summary>The little-endian header length points past the end of the file.</summary>
    HeaderLengthBeyondFile,

    /// <summary>The header length exceeds the 100 MB limit readers impose against memory exhaustion.</summary>
    HeaderTooLarge,

    /// <summary>The header bytes are not valid UTF-8.</summary>
    HeaderNotUtf8,

    /// <summary>The header is not one JSON object beginning with '{' (trailing spaces are the only padding allowed).</summary>
    HeaderNotJsonObject,

    /// <summary>The same tensor name appears twice in the header.</summary>
    DuplicateName,

    /// <summary>The <c>__metadata__</c> entry is not an object whose values are all strings.</summary>
    MetadataNotStringMap,

    /// <summary>
    /// A tensor entry is not an object with <c>dtype</c> (a string), <c>shape</c> (non-negative integers) and
    /// <c>data_offsets</c> (two non-negative integers), or has other fields.
    /// </summary>
    MalformedEntry,

    /// <summary>A <c>dtype</c> is not one of the format's names (F32, BF16, I64, …).</summary>
    UnknownDtype,

    /// <summary>A dimension or offset, or the element count times the element size, does not fit in a signed 64-bit integer.</summary>
    SizeOverflow,

    /// <summary>A tensor's byte range differs from the product of its shape times its element size.</summary>
    ShapeSizeMismatch,

    /// <summary>
    /// Sorted by start, a tensor does not begin where the previous one ends (a gap or an overlap), the first does not
    /// begin at 0, or a range ends before it begins.
    /// </summary>
    OffsetsNotContiguous,

    /// <summary>The tensors' bytes do not end exactly at the end of the file: bytes missing or bytes left over.</summary>
    DataLengthMismatch,
}
