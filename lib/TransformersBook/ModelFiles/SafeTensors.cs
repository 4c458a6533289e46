using System.Buffers.Binary;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace TransformersBook.ModelFiles;

/// <summary>
/// The book's writer and reader of the safetensors format (Hugging Face): 8 bytes holding the header length N as an
/// unsigned little-endian integer, N bytes of UTF-8 JSON mapping each tensor's name to its <c>dtype</c>,
/// <c>shape</c> and <c>data_offsets</c> (plus an optional <c>__metadata__</c> map of strings), padded with spaces,
/// then the tensors' raw little-endian bytes, back to back. The reader checks every rule and throws
/// <see cref="SafeTensorsFormatException"/> naming the broken one; the writer produces what Hugging Face's reference
/// implementation produces: compact JSON, fields in the order dtype, shape, data_offsets, tensors sorted by element
/// size (largest first) and then by name, the header padded to a multiple of 8 bytes.
/// </summary>
public static class SafeTensors
{
    /// <summary>The largest header readers accept (100 MB), so a hostile length cannot make them allocate without bound.</summary>
    public const long MaxHeaderBytes = 100_000_000;

    /// <summary>The header key of the free-text metadata map.</summary>
    public const string MetadataKey = "__metadata__";

    static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The bytes of a safetensors file holding <paramref name="tensors"/> and <paramref name="metadata"/>.</summary>
    /// <param name="tensors">Names and tensors (on any device; copied to the CPU, made contiguous).</param>
    /// <param name="metadata">Optional free-text metadata.</param>
    public static byte[] Serialize(IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        using var stream = new MemoryStream();
        Write(stream, tensors, metadata);
        return stream.ToArray();
    }

    /// <summary>Writes <paramref name="tensors"/> to the file <paramref name="path"/> in the safetensors format.</summary>
    /// <param name="path">The file to create or overwrite.</param>
    /// <param name="tensors">Names and tensors.</param>
    /// <param name="metadata">Optional free-text metadata.</param>
    public static void Save(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        Write(file, tensors, metadata);
    }

    /// <summary>Writes a module's state dict (parameters and buffers, by their dotted names) to <paramref name="path"/>.</summary>
    /// <param name="path">The file to create or overwrite.</param>
    /// <param name="module">The model.</param>
    /// <param name="metadata">Optional free-text metadata.</param>
    public static void SaveModule(string path, nn.Module module, IReadOnlyDictionary<string, string>? metadata = null) =>
        Save(path, module.state_dict(), metadata);

    /// <summary>Writes the safetensors bytes of <paramref name="tensors"/> to <paramref name="stream"/>.</summary>
    /// <param name="stream">Where the bytes go.</param>
    /// <param name="tensors">Names and tensors.</param>
    /// <param name="metadata">Optional free-text metadata.</param>
    public static void Write(Stream stream, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(tensors);
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("The book's safetensors writer assumes a little-endian machine.");
        var ordered = tensors
            .Select(kv => (Name: kv.Key, Dtype: SafeTensorsDtype.Name(kv.Value.dtype), Tensor: kv.Value))
            .OrderByDescending(t => SafeTensorsDtype.Size(t.Dtype)).ThenBy(t => t.Name, StringComparer.Ordinal)
            .ToList();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in ordered)
        {
            if (t.Name == MetadataKey) throw new ArgumentException($"A tensor cannot be called {MetadataKey}.", nameof(tensors));
            if (!names.Add(t.Name)) throw new ArgumentException($"Two tensors are called '{t.Name}'.", nameof(tensors));
        }

        using var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json, Compact))
        {
            writer.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                writer.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata) writer.WriteString(key, value);
                writer.WriteEndObject();
            }
            long offset = 0;
            foreach (var t in ordered)
            {
                long bytes = t.Tensor.numel() * SafeTensorsDtype.Size(t.Dtype);
                writer.WriteStartObject(t.Name);
                writer.WriteString("dtype", t.Dtype);
                writer.WriteStartArray("shape");
                foreach (long dimension in t.Tensor.shape) writer.WriteNumberValue(dimension);
                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                writer.WriteNumberValue(offset + bytes);
                writer.WriteEndArray();
                writer.WriteEndObject();
                offset += bytes;
            }
            writer.WriteEndObject();
        }
        int padding = (int)((8 - json.Length % 8) % 8);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)(json.Length + padding));
        stream.Write(length);
        json.Position = 0;
        json.CopyTo(stream);
        for (int i = 0; i < padding; i++) stream.WriteByte((byte)' ');
        foreach (var t in ordered)
        {
            using var cpu = t.Tensor.detach().cpu().contiguous();
            stream.Write(cpu.bytes);
        }
    }

    /// <summary>
    /// Reads and validates the header of a safetensors file held in <paramref name="file"/>, checking every rule:
    /// the 8-byte length, the size limit, UTF-8, one JSON object, unique names, the metadata map, each entry's fields
    /// and dtype, shape × element size = byte length, offsets contiguous from 0, and the data ending with the file.
    /// </summary>
    /// <param name="file">The whole file's bytes.</param>
    public static SafeTensorsHeader ReadHeader(ReadOnlySpan<byte> file) => ReadHeader(file, file.Length);

    /// <summary>
    /// Validates a header from the first bytes of a file of <paramref name="fileLength"/> bytes: <paramref name="prefix"/>
    /// must hold the 8-byte length and the N header bytes after it (it may hold fewer only when the header is invalid).
    /// </summary>
    /// <param name="prefix">The file's first 8 + N bytes.</param>
    /// <param name="fileLength">The whole file's length in bytes.</param>
    public static SafeTensorsHeader ReadHeader(ReadOnlySpan<byte> prefix, long fileLength)
    {
        var file = prefix;
        if (fileLength < 8 || file.Length < 8)
            throw new SafeTensorsFormatException(SafeTensorsRule.HeaderLengthMissing, $"the file has {fileLength} bytes, fewer than the 8 of the header length.");
        ulong declared = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (declared > MaxHeaderBytes)
            throw new SafeTensorsFormatException(SafeTensorsRule.HeaderTooLarge, $"the header length {declared:N0} exceeds the limit of {MaxHeaderBytes:N0} bytes.");
        long headerLength = (long)declared;
        if (8 + headerLength > fileLength || 8 + headerLength > file.Length)
            throw new SafeTensorsFormatException(SafeTensorsRule.HeaderLengthBeyondFile, $"the header length {headerLength:N0} runs past the end of a {fileLength:N0}-byte file.");
        long dataLength = fileLength - 8 - headerLength;
        var headerBytes = file.Slice(8, (int)headerLength);
        try { StrictUtf8.GetCharCount(headerBytes); }
        catch (DecoderFallbackException e)
        {
            throw new SafeTensorsFormatException(SafeTensorsRule.HeaderNotUtf8, $"the header is not valid UTF-8 ({e.Message}).");
        }
        if (headerBytes.Length == 0 || headerBytes[0] != (byte)'{')
            throw new SafeTensorsFormatException(SafeTensorsRule.HeaderNotJsonObject, "the header does not begin with '{'.");

        JsonDocument document;
        try { document = JsonDocument.Parse(headerBytes.ToArray()); }
        catch (JsonException e)
        {
            throw new SafeTensorsFormatException(SafeTensorsRule.HeaderNotJsonObject, $"the header is not valid JSON ({e.Message}).");
        }
        using (document)
        {
            var entries = new List<SafeTensorsEntry>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                    throw new SafeTensorsFormatException(SafeTensorsRule.DuplicateName, $"'{property.Name}' appears twice in the header.");
                if (property.Name == MetadataKey) ReadMetadata(property.Value, metadata);
                else entries.Add(ReadEntry(property.Name, property.Value));
            }

            entries.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
            long expectedBegin = 0;
            foreach (var entry in entries)
            {
                if (entry.Begin != expectedBegin || entry.End < entry.Begin)
                    throw new SafeTensorsFormatException(SafeTensorsRule.OffsetsNotContiguous,
                        $"'{entry.Name}' occupies [{entry.Begin}, {entry.End}) but should begin at {expectedBegin} (the end of the tensor before it).");
                long elements = 1;
                long bytes;
                try
                {
                    foreach (long dimension in entry.Shape) elements = checked(elements * dimension);
                    bytes = checked(elements * SafeTensorsDtype.Size(entry.Dtype));
                }
                catch (OverflowException)
                {
                    throw new SafeTensorsFormatException(SafeTensorsRule.SizeOverflow, $"'{entry.Name}' has shape [{string.Join(", ", entry.Shape)}], whose byte size overflows 64 bits.");
                }
                if (bytes != entry.ByteLength)
                    throw new SafeTensorsFormatException(SafeTensorsRule.ShapeSizeMismatch,
                        $"'{entry.Name}' is {entry.Dtype} [{string.Join(", ", entry.Shape)}] = {bytes} bytes but its offsets span {entry.ByteLength}.");
                expectedBegin = entry.End;
            }
            if (expectedBegin != dataLength)
                throw new SafeTensorsFormatException(SafeTensorsRule.DataLengthMismatch,
                    $"the tensors cover {expectedBegin:N0} bytes but the data section after the header holds {dataLength:N0}.");
            return new SafeTensorsHeader(entries, metadata, headerLength);
        }
    }

    /// <summary>Reads every tensor (on the CPU) and the metadata from the bytes of a safetensors file.</summary>
    /// <param name="file">The whole file's bytes.</param>
    public static (Dictionary<string, Tensor> Tensors, IReadOnlyDictionary<string, string> Metadata) Deserialize(byte[] file)
    {
        var header = ReadHeader(file);
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var entry in header.Entries)
        {
            var tensor = empty(entry.Shape.ToArray(), SafeTensorsDtype.Torch(entry.Dtype));
            if (entry.ByteLength > 0) tensor.bytes = file.AsSpan((int)(header.DataStart + entry.Begin), (int)entry.ByteLength);
            tensors[entry.Name] = tensor;
        }
        return (tensors, header.Metadata);
    }

    /// <summary>Reads every tensor (on the CPU) and the metadata of the safetensors file at <paramref name="path"/>.</summary>
    /// <param name="path">The file.</param>
    public static (Dictionary<string, Tensor> Tensors, IReadOnlyDictionary<string, string> Metadata) Load(string path) =>
        Deserialize(File.ReadAllBytes(path));

    /// <summary>
    /// Copies the tensors of the safetensors file at <paramref name="path"/> into <paramref name="module"/>'s
    /// parameters and buffers of the same names. The file must hold exactly the module's state-dict keys, with the same
    /// shapes and dtypes; anything else throws, naming the keys that differ. Only the header is read into managed
    /// memory: after validation each tensor's bytes are read from the file straight into the parameter's memory when it
    /// is a contiguous CPU tensor, and through one CPU staging tensor otherwise.
    /// </summary>
    /// <param name="module">The model to fill (on any device).</param>
    /// <param name="path">The file.</param>
    /// <returns>The file's metadata.</returns>
    public static IReadOnlyDictionary<string, string> LoadInto(nn.Module module, string path)
    {
        ArgumentNullException.ThrowIfNull(module);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        long fileLength = stream.Length;
        var length = new byte[8];
        int got = stream.ReadAtLeast(length, 8, throwOnEndOfStream: false);
        ulong declared = got == 8 ? BinaryPrimitives.ReadUInt64LittleEndian(length) : 0;
        if (got < 8 || declared > MaxHeaderBytes || 8 + (long)declared > fileLength) ReadHeader(length.AsSpan(0, got), fileLength);   // throws the rule broken
        var prefix = new byte[8 + (long)declared];
        length.CopyTo(prefix, 0);
        stream.ReadExactly(prefix.AsSpan(8));
        var header = ReadHeader(prefix, fileLength);

        var state = module.state_dict();
        var names = header.Entries.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        var missing = state.Keys.Where(k => !names.Contains(k)).ToList();
        var unexpected = names.Where(k => !state.ContainsKey(k)).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
            throw new InvalidDataException($"{path}: keys missing from the file [{string.Join(", ", missing)}], keys the model lacks [{string.Join(", ", unexpected)}].");
        foreach (var entry in header.Entries)
        {
            var target = state[entry.Name];
            if (!entry.Shape.SequenceEqual(target.shape) || SafeTensorsDtype.Torch(entry.Dtype) != target.dtype)
                throw new InvalidDataException($"{path}: '{entry.Name}' is {entry.Dtype} [{string.Join(", ", entry.Shape)}] in the file, {target.dtype} [{string.Join(", ", target.shape)}] in the model.");
        }
        using var noGrad = no_grad();
        foreach (var entry in header.Entries)
        {
            if (entry.ByteLength == 0) continue;
            var target = state[entry.Name];
            stream.Position = header.DataStart + entry.Begin;
            if (target.device_type == DeviceType.CPU && target.is_contiguous())
            {
                stream.ReadExactly(target.bytes);
            }
            else
            {
                using var staging = empty(target.shape, target.dtype);
                stream.ReadExactly(staging.bytes);
                target.copy_(staging);
            }
        }
        return header.Metadata;
    }

    static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw new SafeTensorsFormatException(SafeTensorsRule.MetadataNotStringMap, $"{MetadataKey} is a JSON {value.ValueKind}, not an object.");
        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw new SafeTensorsFormatException(SafeTensorsRule.MetadataNotStringMap, $"{MetadataKey}['{item.Name}'] is a JSON {item.Value.ValueKind}, not a string.");
            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
                throw new SafeTensorsFormatException(SafeTensorsRule.DuplicateName, $"{MetadataKey}['{item.Name}'] appears twice.");
        }
    }

    static SafeTensorsEntry ReadEntry(string name, JsonElement value)
    {
        SafeTensorsFormatException Malformed(string what) => new(SafeTensorsRule.MalformedEntry, $"'{name}': {what}.");
        if (value.ValueKind != JsonValueKind.Object) throw Malformed($"the entry is a JSON {value.ValueKind}, not an object");
        string? dtype = null;
        List<long>? shape = null, offsets = null;
        foreach (var field in value.EnumerateObject())
        {
            switch (field.Name)
            {
                case "dtype" when dtype is null && field.Value.ValueKind == JsonValueKind.String:
                    dtype = field.Value.GetString()!;
                    break;
                case "shape" when shape is null:
                    shape = Integers(name, field.Value) ?? throw Malformed("shape is not an array of non-negative integers");
                    break;
                case "data_offsets" when offsets is null:
                    offsets = Integers(name, field.Value) is { Count: 2 } pair ? pair : throw Malformed("data_offsets is not two non-negative integers");
                    break;
                default:
                    throw Malformed($"unexpected or repeated field '{field.Name}' (or dtype is not a string)");
            }
        }
        if (dtype is null || shape is null || offsets is null) throw Malformed("an entry needs dtype, shape and data_offsets");
        if (!SafeTensorsDtype.IsKnown(dtype)) SafeTensorsDtype.Size(dtype);
        return new SafeTensorsEntry(name, dtype, shape, offsets[0], offsets[1]);
    }

    static List<long>? Integers(string name, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array) return null;
        var numbers = new List<long>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetUInt64(out ulong number)) return null;
            if (number > long.MaxValue)
                throw new SafeTensorsFormatException(SafeTensorsRule.SizeOverflow, $"'{name}': {number} does not fit in a signed 64-bit size.");
            numbers.Add((long)number);
        }
        return numbers;
    }
}
