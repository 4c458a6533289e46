namespace TransformersBook.Data;

/// <summary>
/// The span-corruption objective of T5 (Raffel et al., 2020, "Exploring the Limits of Transfer Learning with a Unified
/// Text-to-Text Transformer"): drop a fixed share of the tokens in a few contiguous spans, put one sentinel in place of
/// each span, and ask the decoder for the sentinels followed by what they hid. "Thank you for inviting me to your party
/// last week" becomes the input "Thank you &lt;X0&gt; me to your party &lt;X1&gt; week" and the target
/// "&lt;X0&gt; for inviting &lt;X1&gt; last &lt;X2&gt;". Spans are drawn like T5's <c>random_spans_noise_mask</c>: the number
/// of noise tokens is exactly round(length · rate), the number of spans round(noise / mean span length), and noise and
/// kept tokens are each cut into that many non-empty runs at uniformly random places, kept run first.
/// </summary>
public static class SpanCorruption
{
    /// <summary>The i-th sentinel token, &lt;Xi&gt; (T5's vocabulary calls them &lt;extra_id_i&gt;).</summary>
    public static string Sentinel(int index) => $"<X{index}>";

    /// <summary>True if the token is a sentinel &lt;Xi&gt;.</summary>
    public static bool IsSentinel(string token) =>
        token.Length > 3 && token.StartsWith("<X", StringComparison.Ordinal) && token.EndsWith('>') && int.TryParse(token[2..^1], out _);

    /// <summary>How many tokens are noise and in how many spans, for a sequence of the given length.</summary>
    /// <remarks>At least one token is dropped and one kept (for length ≥ 2), and there are never more spans than either
    /// the noise or the kept tokens allow, since every run is non-empty.</remarks>
    public static (int NoiseTokens, int Spans) Counts(int length, double noiseDensity = 0.15, double meanSpanLength = 3.0)
    {
        if (length < 2) throw new ArgumentOutOfRangeException(nameof(length), "span corruption needs at least two tokens.");
        int noise = Math.Clamp((int)Math.Round(length * noiseDensity, MidpointRounding.AwayFromZero), 1, length - 1);
        int spans = Math.Max(1, (int)Math.Round(noise / meanSpanLength, MidpointRounding.AwayFromZero));
        spans = Math.Min(spans, Math.Min(noise, length - noise));
        return (noise, spans);
    }

    /// <summary>Which tokens to drop: true at noise positions.</summary>
    /// <param name="length">Tokens in the sequence (≥ 2).</param>
    /// <param name="random">The source of randomness; the same seed gives the same mask.</param>
    /// <param name="noiseDensity">Share of tokens dropped (T5: 0.15).</param>
    /// <param name="meanSpanLength">Mean length of a dropped span (T5: 3).</param>
    public static bool[] NoiseMask(int length, Random random, double noiseDensity = 0.15, double meanSpanLength = 3.0)
    {
        var (noise, spans) = Counts(length, noiseDensity, meanSpanLength);
        // Kept runs are drawn first, then noise runs, each from the same generator.
        int[] keptRuns = SegmentLengths(length - noise, spans, random);
        int[] noiseRuns = SegmentLengths(noise, spans, random);
        var mask = new bool[length];
        int position = 0;
        for (int span = 0; span < spans; span++)
        {
            position += keptRuns[span];
            for (int i = 0; i < noiseRuns[span]; i++) mask[position++] = true;
        }
        return mask;
    }

    /// <summary>Cuts <paramref name="items"/> into <paramref name="segments"/> non-empty runs at uniformly random places
    /// (the first segments − 1 of a shuffled list of the items − 1 possible cut points).</summary>
    static int[] SegmentLengths(int items, int segments, Random random)
    {
        var cuts = Enumerable.Range(1, items - 1).ToArray();
        for (int i = cuts.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (cuts[i], cuts[j]) = (cuts[j], cuts[i]);
        }
        var chosen = cuts.Take(segments - 1).Order().Append(items).ToArray();
        var lengths = new int[segments];
        int previous = 0;
        for (int s = 0; s < segments; s++) { lengths[s] = chosen[s] - previous; previous = chosen[s]; }
        return lengths;
    }

    /// <summary>Applies a noise mask: each maximal run of noise tokens becomes one sentinel in the input and
    /// "sentinel, run" in the target, which ends with one more sentinel.</summary>
    public static SpanCorruptionExample Apply(IReadOnlyList<string> tokens, IReadOnlyList<bool> noise)
    {
        if (tokens.Count != noise.Count) throw new ArgumentException("one mask entry per token.", nameof(noise));
        var input = new List<string>();
        var target = new List<string>();
        int sentinel = 0;
        for (int i = 0; i < tokens.Count; i++)
        {
            if (!noise[i]) { input.Add(tokens[i]); continue; }
            if (i == 0 || !noise[i - 1])
            {
                input.Add(Sentinel(sentinel));
                target.Add(Sentinel(sentinel));
                sentinel++;
            }
            target.Add(tokens[i]);
        }
        target.Add(Sentinel(sentinel));
        return new SpanCorruptionExample(input, target);
    }

    /// <summary>Draws a noise mask and applies it.</summary>
    public static SpanCorruptionExample Corrupt(IReadOnlyList<string> tokens, Random random, double noiseDensity = 0.15, double meanSpanLength = 3.0) =>
        Apply(tokens, NoiseMask(tokens.Count, random, noiseDensity, meanSpanLength));

    /// <summary>Puts the target's spans back in place of the input's sentinels, recovering the original tokens.</summary>
    public static IReadOnlyList<string> Merge(IReadOnlyList<string> input, IReadOnlyList<string> target)
    {
        var spans = new Dictionary<string, List<string>>();
        List<string>? current = null;
        foreach (var token in target)
        {
            if (IsSentinel(token)) spans[token] = current = new List<string>();
            else current?.Add(token);
        }
        var merged = new List<string>();
        foreach (var token in input)
        {
            if (IsSentinel(token)) merged.AddRange(spans.TryGetValue(token, out var span) ? span : new List<string>());
            else merged.Add(token);
        }
        return merged;
    }
}
