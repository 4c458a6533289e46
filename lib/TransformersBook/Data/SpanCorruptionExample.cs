namespace TransformersBook.Data;

/// <summary>One span-corrupted sequence (Raffel et al., 2020): the encoder's input with each dropped span replaced by a
/// sentinel, and the decoder's target listing each sentinel followed by the tokens it replaced.</summary>
/// <param name="Input">The original tokens with every noise span replaced by one sentinel, &lt;X0&gt;, &lt;X1&gt;, … in order.</param>
/// <param name="Target">For each span, its sentinel followed by its tokens; then one closing sentinel.</param>
public sealed record SpanCorruptionExample(IReadOnlyList<string> Input, IReadOnlyList<string> Target);
