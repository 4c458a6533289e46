namespace TransformersBook.Serving;

/// <summary>
/// One generation request after validation: continue <see cref="Prompt"/> by <see cref="MaxTokens"/> tokens, choosing
/// each by argmax when <see cref="Temperature"/> is 0 and by sampling from softmax(logits / T) otherwise, with a
/// generator seeded by <see cref="Seed"/> that belongs to this request alone (so its tokens do not depend on which other
/// requests share its batch).
/// </summary>
/// <param name="Prompt">The text to continue (non-empty, every character in the model's vocabulary).</param>
/// <param name="MaxTokens">New tokens to generate.</param>
/// <param name="Temperature">0 for greedy decoding, else the softmax temperature.</param>
/// <param name="Seed">The request's sampling seed.</param>
public sealed record GenerationRequest(string Prompt, int MaxTokens, double Temperature = 0, int Seed = 0);
