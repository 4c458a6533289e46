namespace TransformersBook.Instructions;

/// <summary>
/// One encoded exchange of a <see cref="ChatTemplate"/>: the token ids, and for each token whether it belongs to the
/// response (the characters of the answer and the end marker). A language model predicts token i + 1 from tokens
/// 0 … i, so the loss at input position i is counted when <see cref="TargetMask"/>[i] = <see cref="ResponseMask"/>[i + 1] is true.
/// </summary>
/// <param name="Tokens">The ids: user marker, instruction, assistant marker, response, end marker.</param>
/// <param name="ResponseMask">True on the response's tokens, false on the prompt's; as long as <paramref name="Tokens"/>.</param>
public sealed record ChatExample(long[] Tokens, bool[] ResponseMask)
{
    /// <summary>The model's input: every token but the last.</summary>
    public long[] Inputs => Tokens[..^1];

    /// <summary>The next-token targets: every token but the first.</summary>
    public long[] Targets => Tokens[1..];

    /// <summary>Whether the loss counts at each input position: the response mask shifted by one.</summary>
    public bool[] TargetMask => ResponseMask[1..];

    /// <summary>How many tokens the response has (its characters and the end marker).</summary>
    public int ResponseLength => ResponseMask.Count(m => m);
}
