using System.Text.Json.Nodes;
using Book.Engine;

namespace Book.Kernel;

/// <summary>
/// Turns one execute_request's outputs into iopub messages as they happen: stream (batched by <see cref="StreamBatcher"/>),
/// display_data, update_display_data. A silent request publishes nothing (protocol: "silent" means no output broadcast at all).
/// </summary>
public sealed class IopubOutputSink : ICellOutputSink
{
    private readonly MessageSender _iopub;
    private readonly JupyterMessage _request;
    private readonly bool _silent;
    private readonly StreamBatcher _streams;

    public IopubOutputSink(MessageSender iopub, JupyterMessage request, bool silent)
    {
        _iopub = iopub;
        _request = request;
        _silent = silent;
        _streams = new StreamBatcher(PublishStream);
    }

    public void WriteStream(StreamName stream, string text)
    {
        if (!_silent)
            _streams.Write(stream, text);
    }

    public void WriteDisplay(MimeBundle bundle, string displayId, bool isUpdate)
    {
        if (_silent)
            return;
        // Text printed before the display must appear above it.
        _streams.Flush();
        var content = new JsonObject
        {
            ["data"] = MimeBundleJson.ToJson(bundle),
            ["metadata"] = new JsonObject(),
        };
        if (!string.IsNullOrEmpty(displayId))
            content["transient"] = new JsonObject { ["display_id"] = displayId };
        // An update without an id could never find its display; show it as a new one instead.
        var messageType = isUpdate && content.ContainsKey("transient") ? "update_display_data" : "display_data";
        _iopub.Publish(_request, messageType, content);
    }

    /// <summary>Publishes pending stream text; call before the cell's result, error or reply so they come after it.</summary>
    public void Flush() => _streams.Flush();

    private void PublishStream(StreamName stream, string text) =>
        _iopub.Publish(_request, "stream", new JsonObject
        {
            ["name"] = stream == StreamName.Stderr ? "stderr" : "stdout",
            ["text"] = text,
        });
}
