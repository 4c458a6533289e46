namespace TransformersBook.Serving;

/// <summary>What the service accepts: a request outside these limits is refused with a 400 and a message naming the limit.</summary>
/// <param name="MaxPromptCharacters">The longest prompt, in characters (one character is one token for the book's GPT).</param>
/// <param name="MaxNewTokens">The largest max_tokens.</param>
/// <param name="ContextLength">The model's context: prompt plus new tokens must fit in it.</param>
/// <param name="MaxTemperature">The largest temperature.</param>
public sealed record ServingLimits(int MaxPromptCharacters, int MaxNewTokens, int ContextLength, double MaxTemperature = 5.0);
