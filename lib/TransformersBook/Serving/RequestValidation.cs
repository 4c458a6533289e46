using System.Globalization;
using System.Text.Json;

namespace TransformersBook.Serving;

/// <summary>The outcome of <see cref="RequestValidation.Parse"/>: a request, or the message that says what is wrong with the body.</summary>
/// <param name="Request">The valid request, or null.</param>
/// <param name="Error">Why the body was refused, or null.</param>
public sealed record RequestValidationResult(GenerationRequest? Request, string? Error)
{
    /// <summary>Whether the body was a valid request.</summary>
    public bool IsValid => Request is not null;
}

/// <summary>
/// Turns a request body — a JSON object <c>{"prompt": "…", "max_tokens": 32, "temperature": 0, "seed": 1}</c> — into a
/// <see cref="GenerationRequest"/>, or into one clear message naming the first problem: not JSON, not an object, an
/// unknown field, a missing, empty, oversized or out-of-vocabulary prompt, or a sampling parameter out of range.
/// </summary>
public static class RequestValidation
{
    static readonly HashSet<string> KnownFields = new(StringComparer.Ordinal) { "prompt", "max_tokens", "temperature", "seed" };

    /// <summary>Validates a request body.</summary>
    /// <param name="body">The body's text.</param>
    /// <param name="limits">The service's limits.</param>
    /// <param name="vocabulary">The model's characters: a prompt may use no other.</param>
    /// <param name="defaultMaxTokens">max_tokens when the body leaves it out.</param>
    public static RequestValidationResult Parse(string body, ServingLimits limits, IReadOnlyCollection<char> vocabulary, int defaultMaxTokens = 16)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(vocabulary);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body ?? "");
        }
        catch (JsonException e)
        {
            return Fail($"The body is not valid JSON: {e.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return Fail($"The body must be a JSON object, not {Describe(root.ValueKind)}.");
            foreach (var property in root.EnumerateObject())
                if (!KnownFields.Contains(property.Name))
                    return Fail($"Unknown field \"{property.Name}\": a request has prompt, max_tokens, temperature and seed.");

            if (!root.TryGetProperty("prompt", out var promptElement)) return Fail("\"prompt\" is missing.");
            if (promptElement.ValueKind != JsonValueKind.String) return Fail($"\"prompt\" must be a string, not {Describe(promptElement.ValueKind)}.");
            string prompt = promptElement.GetString()!;
            if (prompt.Length == 0) return Fail("\"prompt\" is empty: give at least one character to continue.");
            if (prompt.Length > limits.MaxPromptCharacters)
                return Fail($"\"prompt\" has {prompt.Length} characters; the limit is {limits.MaxPromptCharacters}.");
            var known = vocabulary as ISet<char> ?? new HashSet<char>(vocabulary);
            foreach (char c in prompt)
                if (!known.Contains(c))
                    return Fail($"\"prompt\" contains {Quote(c)}, which is not in the model's vocabulary.");

            int maxTokens = defaultMaxTokens;
            if (root.TryGetProperty("max_tokens", out var maxElement))
            {
                if (maxElement.ValueKind != JsonValueKind.Number || !maxElement.TryGetInt32(out maxTokens))
                    return Fail("\"max_tokens\" must be a whole number.");
                if (maxTokens < 1 || maxTokens > limits.MaxNewTokens)
                    return Fail($"\"max_tokens\" is {maxTokens}; it must lie between 1 and {limits.MaxNewTokens}.");
            }
            if (prompt.Length + maxTokens > limits.ContextLength)
                return Fail($"The prompt ({prompt.Length}) plus max_tokens ({maxTokens}) exceed the model's context of {limits.ContextLength} tokens.");

            double temperature = 0;
            if (root.TryGetProperty("temperature", out var temperatureElement))
            {
                if (temperatureElement.ValueKind != JsonValueKind.Number || !temperatureElement.TryGetDouble(out temperature) || !double.IsFinite(temperature))
                    return Fail("\"temperature\" must be a number.");
                if (temperature < 0 || temperature > limits.MaxTemperature)
                    return Fail($"\"temperature\" is {temperature.ToString(CultureInfo.InvariantCulture)}; it must lie between 0 (greedy) and {limits.MaxTemperature.ToString(CultureInfo.InvariantCulture)}.");
            }

            int seed = 0;
            if (root.TryGetProperty("seed", out var seedElement) && (seedElement.ValueKind != JsonValueKind.Number || !seedElement.TryGetInt32(out seed)))
                return Fail("\"seed\" must be a whole number.");
            return new RequestValidationResult(new GenerationRequest(prompt, maxTokens, temperature, seed), null);
        }
    }

    static RequestValidationResult Fail(string message) => new(null, message);

    static string Quote(char c) => char.IsControl(c) ? $"U+{(int)c:X4}" : $"'{c}'";

    static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };
}
