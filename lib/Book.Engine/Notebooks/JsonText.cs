using System.Text.Json;
using System.Text.Json.Nodes;

namespace Book.Engine.Notebooks;

/// <summary>Reading text out of notebook JSON that may hold anything: what the site and the checks need from outputs.</summary>
public static class JsonText
{
    /// <summary>A JSON string's value, or null for anything else (missing, null, a number, …).</summary>
    public static string? StringOf(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    /// <summary>nbformat stores multi-line text either as one string or as a list of lines; this joins both forms.</summary>
    public static string Join(JsonNode? node) => node switch
    {
        JsonArray lines => string.Concat(lines.Select(line => line?.GetValueKind() == JsonValueKind.String ? line.GetValue<string>() : "")),
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => "",
    };
}
