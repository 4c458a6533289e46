using TorchSharp;
using static TorchSharp.torch;

namespace TransformersBook.Inference;

/// <summary>
/// Constrained decoding with a deterministic finite automaton over token ids: in each state only the tokens with a
/// transition are allowed, and every other logit is set to −∞ before sampling, so whatever the model generates is a
/// word of the automaton's regular language. <see cref="FromWords"/> builds the trie of a word list, closed under a
/// separator token: text made only of those words.
/// </summary>
public sealed class TokenAutomaton
{
    readonly List<Dictionary<long, int>> transitions = new() { new() };

    /// <summary>The start state.</summary>
    public const int Start = 0;

    /// <summary>States the automaton has.</summary>
    public int States => transitions.Count;

    /// <summary>Adds a transition (a new target state when <paramref name="to"/> is null) and returns its target.</summary>
    /// <param name="from">The state the transition leaves.</param>
    /// <param name="token">The token that takes it.</param>
    /// <param name="to">The state it reaches, or null for a new one.</param>
    public int Add(int from, long token, int? to = null)
    {
        if (transitions[from].TryGetValue(token, out int existing)) return existing;
        int target = to ?? NewState();
        transitions[from][token] = target;
        return target;
    }

    int NewState()
    {
        transitions.Add(new());
        return transitions.Count - 1;
    }

    /// <summary>The tokens allowed in <paramref name="state"/>.</summary>
    public IReadOnlyCollection<long> Allowed(int state) => transitions[state].Keys;

    /// <summary>The state after reading <paramref name="token"/> in <paramref name="state"/>.</summary>
    /// <exception cref="ArgumentException">The token is not allowed there.</exception>
    public int Next(int state, long token) => transitions[state].TryGetValue(token, out int next)
        ? next : throw new ArgumentException($"token {token} is not allowed in state {state}.", nameof(token));

    /// <summary>Whether the automaton reads the whole sequence from <see cref="Start"/>.</summary>
    public bool Accepts(IEnumerable<long> tokens)
    {
        int state = Start;
        foreach (long token in tokens)
            if (!transitions[state].TryGetValue(token, out state)) return false;
        return true;
    }

    /// <summary>(batch, vocabulary) logits with −∞ wherever a row's state allows no transition.</summary>
    /// <param name="logits">(batch, vocabulary) next-token logits.</param>
    /// <param name="states">Each row's current state.</param>
    public Tensor Mask(Tensor logits, IReadOnlyList<int> states)
    {
        long vocabulary = logits.shape[1];
        var allowed = new bool[states.Count * vocabulary];
        for (int row = 0; row < states.Count; row++)
            foreach (long token in transitions[states[row]].Keys) allowed[row * vocabulary + token] = true;
        using var allowedMask = tensor(allowed, new long[] { states.Count, vocabulary }, device: logits.device);
        return logits.masked_fill(allowedMask.logical_not(), double.NegativeInfinity);
    }

    /// <summary>
    /// The trie of <paramref name="words"/>: from <see cref="Start"/> any word's tokens in order, then the separator
    /// back to <see cref="Start"/> (only at the end of a whole word).
    /// </summary>
    /// <param name="words">Each word as token ids (no separator inside).</param>
    /// <param name="separator">The token between words (a space, for characters).</param>
    public static TokenAutomaton FromWords(IEnumerable<long[]> words, long separator)
    {
        var automaton = new TokenAutomaton();
        foreach (var word in words)
        {
            if (word.Length == 0 || word.Contains(separator)) throw new ArgumentException("words must be non-empty and free of the separator.", nameof(words));
            int state = Start;
            foreach (long token in word) state = automaton.Add(state, token);
            automaton.Add(state, separator, Start);
        }
        return automaton;
    }
}
