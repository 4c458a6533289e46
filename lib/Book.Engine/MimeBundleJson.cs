using System.Text.Json;
using System.Text.Json.Nodes;

namespace Book.Engine;

/// <summary>A MIME bundle as the "data" object of display_data and execute_result, for the kernel and the executed notebook alike.</summary>
public static class MimeBundleJson
{
    public static JsonObject ToJson(MimeBundle bundle)
    {
        var data = new JsonObject();
        foreach (var (mimeType, text) in bundle.Data)
            data[mimeType] = IsJsonMimeType(mimeType) && TryParse(text) is { } parsed ? parsed : JsonValue.Create(text);
        return data;
    }

    // Frontends render application/json (and +json types such as Vega) from a JSON value, not from a string.
    private static bool IsJsonMimeType(string mimeType) =>
        mimeType == "application/json" || mimeType.EndsWith("+json", StringComparison.Ordinal);

    private static JsonNode? TryParse(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
