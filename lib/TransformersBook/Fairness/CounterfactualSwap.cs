namespace TransformersBook.Fairness;

/// <summary>
/// Counterfactual substitution of words between two groups (Lu et al., 2020; Zhao et al., 2018): given pairs
/// (u, v), every u becomes v and every v becomes u, other tokens unchanged. Used to build counterfactual test pairs
/// (a sentence and its copy that differs only in the group word) and counterfactual data augmentation (the training
/// data plus its swapped copy).
/// </summary>
public sealed class CounterfactualSwap
{
    readonly Dictionary<string, string> partner;

    /// <summary>A swap from word pairs; a word may be in one pair only.</summary>
    /// <param name="pairs">The pairs (u, v): u and v replace each other.</param>
    /// <param name="comparer">How tokens are compared (default ordinal).</param>
    /// <exception cref="ArgumentException">A word is in two pairs, or paired with itself.</exception>
    public CounterfactualSwap(IEnumerable<(string First, string Second)> pairs, IEqualityComparer<string>? comparer = null)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        partner = new Dictionary<string, string>(comparer ?? StringComparer.Ordinal);
        foreach (var (first, second) in pairs)
        {
            if (partner.Comparer.Equals(first, second)) throw new ArgumentException($"\"{first}\" is paired with itself.", nameof(pairs));
            if (!partner.TryAdd(first, second) || !partner.TryAdd(second, first))
                throw new ArgumentException($"\"{first}\" or \"{second}\" is already in another pair.", nameof(pairs));
        }
    }

    /// <summary>How many pairs the swap holds.</summary>
    public int PairCount => partner.Count / 2;

    /// <summary>True when the token is one of the swapped words.</summary>
    public bool Covers(string token) => partner.ContainsKey(token);

    /// <summary>The token's partner, or the token itself when it is in no pair.</summary>
    public string Swap(string token) => partner.TryGetValue(token, out var other) ? other : token;

    /// <summary>The tokens with every paired word replaced by its partner.</summary>
    public IReadOnlyList<string> Apply(IEnumerable<string> tokens) => tokens.Select(Swap).ToList();

    /// <summary>Counterfactual data augmentation: every sequence, then the swapped copy of each one that contains a paired word.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Augment(IEnumerable<IReadOnlyList<string>> sequences)
    {
        var original = sequences.ToList();
        var augmented = new List<IReadOnlyList<string>>(original);
        foreach (var sequence in original)
            if (sequence.Any(Covers)) augmented.Add(Apply(sequence));
        return augmented;
    }
}
