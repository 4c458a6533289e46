using System.Text.Json.Nodes;
using Book.Engine;

namespace Book.Kernel;

/// <summary>
/// Turns one execute_request's outputs into iopub messages as they happen: stream, display_data, update_display_data.
/// A silent request publishes nothing (protocol: "silent" means no output broadcast at all).
/// </summary>
public sealed class IopubOutputSink(MessageSender iopub, JupyterMessage request, bool silent) : ICellOutputSink
{
    public void WriteStream(StreamName stream, string text)
    {
        if (silent || text.Length == 0)
            return;
        iopub.Publish(request, "stream", new JsonObject
        {
            ["name"] = stream == StreamName.Stderr ? "stderr" : "stdout",
            ["text"] = text,
        });
    }

    public void WriteDisplay(MimeBundle bundle, string displayId, bool isUpdate)
    {
        if (silent)
            return;
        var content = new JsonObject
        {
            ["data"] = MimeBundleJson.ToJson(bundle),
            ["metadata"] = new JsonObject(),
        };
        if (!string.IsNullOrEmpty(displayId))
            content["transient"] = new JsonObject { ["display_id"] = displayId };
        // An update without an id could never find its display; show it as a new one instead.
        var messageType = isUpdate && content.ContainsKey("transient") ? "update_display_data" : "display_data";
        iopub.Publish(request, messageType, content);
    }
}
