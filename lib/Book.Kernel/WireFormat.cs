using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Book.Kernel;

/// <summary>
/// The multipart ZeroMQ framing of a Jupyter message:
/// identities..., "&lt;IDS|MSG&gt;", signature, header, parent_header, metadata, content, buffers...
/// </summary>
public static class WireFormat
{
    public static readonly byte[] Delimiter = "<IDS|MSG>"u8.ToArray();

    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    public static List<byte[]> Encode(JupyterMessage message, MessageSigner signer)
    {
        var header = Serialize(message.Header);
        var parentHeader = Serialize(message.ParentHeader);
        var metadata = Serialize(message.Metadata);
        var content = Serialize(message.Content);

        var frames = new List<byte[]>(message.Identities.Count + 6 + message.Buffers.Count);
        frames.AddRange(message.Identities);
        frames.Add(Delimiter);
        frames.Add(Encoding.ASCII.GetBytes(signer.Sign(header, parentHeader, metadata, content)));
        frames.Add(header);
        frames.Add(parentHeader);
        frames.Add(metadata);
        frames.Add(content);
        frames.AddRange(message.Buffers);
        return frames;
    }

    /// <summary>
    /// Parses received frames. The signature is checked over the raw frames, before any JSON parsing,
    /// so re-serialisation can never change what was signed.
    /// </summary>
    public static WireDecodeResult Decode(IReadOnlyList<byte[]> frames, MessageSigner signer)
    {
        var delimiterIndex = -1;
        for (var i = 0; i < frames.Count; i++)
        {
            if (frames[i].AsSpan().SequenceEqual(Delimiter))
            {
                delimiterIndex = i;
                break;
            }
        }
        if (delimiterIndex < 0)
            return WireDecodeResult.Rejected("no <IDS|MSG> delimiter");
        if (frames.Count < delimiterIndex + 6)
            return WireDecodeResult.Rejected($"only {frames.Count - delimiterIndex - 1} frames after the delimiter, 5 needed");

        var signature = Encoding.ASCII.GetString(frames[delimiterIndex + 1]);
        var header = frames[delimiterIndex + 2];
        var parentHeader = frames[delimiterIndex + 3];
        var metadata = frames[delimiterIndex + 4];
        var content = frames[delimiterIndex + 5];
        if (!signer.Verify(signature, header, parentHeader, metadata, content))
            return WireDecodeResult.Rejected("bad signature");

        try
        {
            var message = new JupyterMessage(
                Identities: frames.Take(delimiterIndex).ToArray(),
                Header: ParseObject(header, "header"),
                ParentHeader: ParseObject(parentHeader, "parent_header"),
                Metadata: ParseObject(metadata, "metadata"),
                Content: ParseObject(content, "content"),
                Buffers: frames.Skip(delimiterIndex + 6).ToArray());
            return WireDecodeResult.Accepted(message, signature);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            return WireDecodeResult.Rejected($"malformed JSON: {e.Message}");
        }
    }

    private static byte[] Serialize(JsonObject part) => JsonSerializer.SerializeToUtf8Bytes(part, Compact);

    private static JsonObject ParseObject(byte[] utf8, string part) =>
        JsonNode.Parse(utf8) as JsonObject ?? throw new FormatException($"{part} is not a JSON object");
}
