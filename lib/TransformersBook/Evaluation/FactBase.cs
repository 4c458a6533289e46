namespace TransformersBook.Evaluation;

/// <summary>
/// A store of (subject, relation, object) triples with one object per subject and relation, used as an automatic
/// factuality check: a generated answer is normalised as SQuAD does (<see cref="AnswerMatch.Normalize"/>: case,
/// punctuation, articles, whitespace) and looked up, giving <see cref="FactVerdict.Supported"/>,
/// <see cref="FactVerdict.Contradicted"/> or <see cref="FactVerdict.NotInBase"/>.
/// </summary>
public sealed class FactBase
{
    readonly Dictionary<(string Subject, string Relation), string> objectOf = new();

    /// <summary>How many (subject, relation) pairs the base holds.</summary>
    public int Count => objectOf.Count;

    /// <summary>Adds a triple; the subject and relation must not be there already (one object each).</summary>
    /// <exception cref="ArgumentException">The base already holds this subject and relation.</exception>
    public void Add(string subject, string relation, string @object)
    {
        ArgumentNullException.ThrowIfNull(@object);
        var key = Key(subject, relation);
        if (!objectOf.TryAdd(key, AnswerMatch.Normalize(@object)))
            throw new ArgumentException($"The base already holds ({subject}, {relation}).", nameof(relation));
    }

    /// <summary>The normalised object stored for a subject and relation, or null when the base has none.</summary>
    public string? Lookup(string subject, string relation) => objectOf.TryGetValue(Key(subject, relation), out var o) ? o : null;

    /// <summary>Checks a claimed object for a subject and relation, after normalising all three.</summary>
    public FactVerdict Check(string subject, string relation, string claimedObject)
    {
        ArgumentNullException.ThrowIfNull(claimedObject);
        var stored = Lookup(subject, relation);
        if (stored is null) return FactVerdict.NotInBase;
        return stored == AnswerMatch.Normalize(claimedObject) ? FactVerdict.Supported : FactVerdict.Contradicted;
    }

    static (string, string) Key(string subject, string relation)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(relation);
        return (AnswerMatch.Normalize(subject), AnswerMatch.Normalize(relation));
    }
}
