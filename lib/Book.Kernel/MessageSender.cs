using System.Text.Json.Nodes;

namespace Book.Kernel;

/// <summary>Sends replies and publishes on iopub (status, execute_input, outputs). Safe from any thread.</summary>
public sealed class MessageSender(KernelTransport transport, MessageFactory messages)
{
    public MessageFactory Messages { get; } = messages;

    public void Publish(JupyterMessage? parent, string messageType, JsonObject content) =>
        transport.Send(KernelChannel.Iopub, Messages.Broadcast(parent, messageType, content));

    public void Status(JupyterMessage? parent, string executionState) =>
        Publish(parent, "status", new JsonObject { ["execution_state"] = executionState });

    /// <summary>Replies on the socket the request came in on.</summary>
    public void Reply(KernelChannel channel, JupyterMessage request, string messageType, JsonObject content) =>
        transport.Send(channel, Messages.Reply(request, messageType, content));
}
