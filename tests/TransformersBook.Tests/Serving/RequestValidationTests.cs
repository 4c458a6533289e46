using TransformersBook.Serving;
using Xunit;

namespace TransformersBook.Tests;

/// <summary>Each kind of bad request body gets its own message; a good one becomes a request.</summary>
public class RequestValidationTests
{
    static readonly ServingLimits Limits = new(MaxPromptCharacters: 10, MaxNewTokens: 20, ContextLength: 25);
    static readonly char[] Vocabulary = "abc ".ToCharArray();

    static string? Error(string body) => RequestValidation.Parse(body, Limits, Vocabulary).Error;

    [Fact]
    public void A_valid_body_becomes_a_request_with_defaults_for_the_missing_fields()
    {
        var result = RequestValidation.Parse("{\"prompt\": \"ab c\", \"max_tokens\": 5}", Limits, Vocabulary, defaultMaxTokens: 3);
        Assert.Equal(new GenerationRequest("ab c", 5, 0, 0), result.Request);
        Assert.Equal(new GenerationRequest("a", 3, 0.5, 7), RequestValidation.Parse("{\"prompt\": \"a\", \"temperature\": 0.5, \"seed\": 7}", Limits, Vocabulary, 3).Request);
    }

    [Theory]
    [InlineData("{\"prompt\": ", "The body is not valid JSON")]
    [InlineData("", "The body is not valid JSON")]
    [InlineData("[1, 2]", "The body must be a JSON object, not an array.")]
    [InlineData("{\"prompt\": \"a\", \"top_p\": 0.9}", "Unknown field \"top_p\": a request has prompt, max_tokens, temperature and seed.")]
    [InlineData("{\"max_tokens\": 3}", "\"prompt\" is missing.")]
    [InlineData("{\"prompt\": 3}", "\"prompt\" must be a string, not a number.")]
    [InlineData("{\"prompt\": \"\"}", "\"prompt\" is empty: give at least one character to continue.")]
    [InlineData("{\"prompt\": \"aaaaaaaaaaa\"}", "\"prompt\" has 11 characters; the limit is 10.")]
    [InlineData("{\"prompt\": \"abz\"}", "\"prompt\" contains 'z', which is not in the model's vocabulary.")]
    [InlineData("{\"prompt\": \"a\", \"max_tokens\": 0}", "\"max_tokens\" is 0; it must lie between 1 and 20.")]
    [InlineData("{\"prompt\": \"a\", \"max_tokens\": 2.5}", "\"max_tokens\" must be a whole number.")]
    [InlineData("{\"prompt\": \"aaaaaaaaaa\", \"max_tokens\": 20}", "The prompt (10) plus max_tokens (20) exceed the model's context of 25 tokens.")]
    [InlineData("{\"prompt\": \"a\", \"temperature\": -1}", "\"temperature\" is -1; it must lie between 0 (greedy) and 5.")]
    [InlineData("{\"prompt\": \"a\", \"temperature\": \"hot\"}", "\"temperature\" must be a number.")]
    [InlineData("{\"prompt\": \"a\", \"seed\": \"x\"}", "\"seed\" must be a whole number.")]
    public void Each_bad_body_is_refused_with_its_message(string body, string message) =>
        Assert.StartsWith(message, Error(body));
}
