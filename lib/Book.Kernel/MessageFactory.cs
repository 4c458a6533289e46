using System.Text;
using System.Text.Json.Nodes;

namespace Book.Kernel;

/// <summary>
/// Builds the kernel's outgoing messages: a fresh header in this kernel's session, the request's header as parent.
/// </summary>
public sealed class MessageFactory(string sessionId)
{
    public const string ProtocolVersion = "5.3";

    public string SessionId { get; } = sessionId;

    /// <summary>A reply on the request's own socket, routed back to the identities it came from.</summary>
    public JupyterMessage Reply(JupyterMessage request, string messageType, JsonObject content) =>
        Create(request.Identities, request, messageType, content);

    /// <summary>A message on iopub; its only identity frame is the topic subscribers may filter on.</summary>
    public JupyterMessage Broadcast(JupyterMessage? parent, string messageType, JsonObject content) =>
        Create([Encoding.UTF8.GetBytes($"kernel.{SessionId}.{messageType}")], parent, messageType, content);

    public JupyterMessage Create(IReadOnlyList<byte[]> identities, JupyterMessage? parent, string messageType, JsonObject content)
    {
        var header = new JsonObject
        {
            ["msg_id"] = Guid.NewGuid().ToString("N"),
            ["session"] = SessionId,
            ["username"] = "kernel",
            ["date"] = JupyterTimestamp.Now(),
            ["msg_type"] = messageType,
            ["version"] = ProtocolVersion,
        };
        return new JupyterMessage(identities, header, CloneHeader(parent), new JsonObject(), content, []);
    }

    private static JsonObject CloneHeader(JupyterMessage? parent)
    {
        if (parent is null)
            return new JsonObject();
        // Output sinks build messages from several threads, and a parsed JsonObject materialises lazily
        // on first read, so even concurrent reads of one request header need a lock.
        lock (parent.Header)
            return (JsonObject)parent.Header.DeepClone();
    }
}
