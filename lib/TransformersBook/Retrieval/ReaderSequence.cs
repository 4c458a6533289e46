namespace TransformersBook.Retrieval;

/// <summary>
/// The layout in which a decoder-only reader sees a retrieved passage, a query and its answer:
/// <c>passage [SEP] query answer [SEP]</c>, right-padded to the context; the answer is the query's continuation, so
/// the query ends where the answer starts. Closed-book, the passage is left out and the row starts at [SEP]. The
/// passage goes first so that, while reading the query and writing the answer, causal attention can look back at all
/// of it; it is what gets cut when the row would not fit.
/// </summary>
/// <param name="Tokens">(context) ids: the row the model reads.</param>
/// <param name="Targets">(context) the next token at each position where the loss counts, −100 (ignored) elsewhere.</param>
/// <param name="PromptLength">Tokens up to the end of the query: what a reader is given when it must answer.</param>
/// <param name="PassageKept">How many of the passage's tokens fitted.</param>
public sealed record ReaderSequence(long[] Tokens, long[] Targets, int PromptLength, int PassageKept)
{
    /// <summary>The target value PyTorch's cross-entropy skips (its default ignore_index).</summary>
    public const long Ignored = -100;

    /// <summary>The prompt alone: <see cref="Tokens"/> up to <see cref="PromptLength"/>.</summary>
    public long[] Prompt => Tokens[..PromptLength];

    /// <summary>
    /// Lays out one example. Targets cover the answer and its end token; with <paramref name="learnQuery"/> they also
    /// cover the query's tokens, which, when the query quotes the passage, teach the reader to look there.
    /// </summary>
    /// <param name="passage">The passage's ids, or null for closed-book.</param>
    /// <param name="query">The query's ids (non-empty).</param>
    /// <param name="answer">The answer's ids, or null to build only the prompt.</param>
    /// <param name="context">The row length; the passage is cut at its end when the row would be longer.</param>
    /// <param name="separatorId">[SEP]: ends the passage and the answer.</param>
    /// <param name="padId">Fills the row after its end.</param>
    /// <param name="maxAnswer">Room kept for the answer, end token not counted; a longer answer is refused.</param>
    /// <param name="learnQuery">Whether the query's tokens are targets too.</param>
    public static ReaderSequence Build(IReadOnlyList<int>? passage, IReadOnlyList<int> query, IReadOnlyList<int>? answer,
        int context, int separatorId, int padId, int maxAnswer, bool learnQuery = false)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Count == 0) throw new ArgumentException("the query has no tokens.", nameof(query));
        if (answer is not null && answer.Count > maxAnswer)
            throw new ArgumentException($"the answer has {answer.Count} tokens; room was kept for {maxAnswer}.", nameof(answer));
        int fixedPart = 1 + query.Count + maxAnswer + 1;   // [SEP] query answer [SEP]
        if (fixedPart > context)
            throw new ArgumentException($"a context of {context} cannot hold a query of {query.Count} tokens and an answer of up to {maxAnswer}.", nameof(context));
        int kept = Math.Min(passage?.Count ?? 0, context - fixedPart);

        var tokens = new long[context];
        Array.Fill(tokens, padId);
        var targets = new long[context];
        Array.Fill(targets, Ignored);
        int at = 0;
        for (int i = 0; i < kept; i++) tokens[at++] = passage![i];
        int separatorAt = at;
        tokens[at++] = separatorId;
        foreach (int id in query) tokens[at++] = id;
        int promptLength = at;
        if (answer is not null)
        {
            foreach (int id in answer) tokens[at++] = id;
            tokens[at++] = separatorId;
            // Position t predicts token t + 1: from the query's last token (or from [SEP], to learn the query) to the
            // last answer token, which predicts the end.
            for (int t = learnQuery ? separatorAt : promptLength - 1; t < at - 1; t++) targets[t] = tokens[t + 1];
        }
        return new ReaderSequence(tokens, targets, promptLength, kept);
    }
}
