using System.Text.Json.Nodes;

namespace Book.Kernel;

/// <summary>
/// One Jupyter message. Identities are the ZeroMQ routing frames before the delimiter (for iopub: the topic);
/// the four JSON parts are kept as JSON objects so a request's header can be echoed verbatim as parent_header.
/// </summary>
public sealed record JupyterMessage(
    IReadOnlyList<byte[]> Identities,
    JsonObject Header,
    JsonObject ParentHeader,
    JsonObject Metadata,
    JsonObject Content,
    IReadOnlyList<byte[]> Buffers)
{
    // Read once at construction: later, output sinks clone Header from other threads (see MessageFactory).
    public string MessageType { get; } = Header["msg_type"]?.GetValue<string>() ?? "";

    public string MessageId { get; } = Header["msg_id"]?.GetValue<string>() ?? "";

    /// <summary>A boolean field of the content ("silent", "store_history", "restart"...), or the protocol's default.</summary>
    public bool ContentFlag(string name, bool fallback) =>
        Content[name] is JsonValue value && value.TryGetValue<bool>(out var flag) ? flag : fallback;
}
