namespace TransformersBook.Data;

/// <summary>
/// A seeded generator of users' item sequences with planted sequential structure, for the recommendation chapter
/// (no interaction log with a clear licence is reachable from the book's package registries).
/// </summary>
/// <remarks>
/// Items 1…N fall into G genres (item i in genre (i − 1) mod G); inside a genre the item of rank r = ⌈i / G⌉ has
/// popularity weight 1/r^s. Every item has one <em>successor</em>, a uniformly drawn other item of any genre. A user
/// holds a taste of a few genres and a hidden <em>session genre</em> among them. Each step, with probability
/// p_succ the next item is the successor of the previous one (the session genre does not change); otherwise the
/// session genre moves to another taste genre with probability p_switch, and the item is drawn from the session
/// genre by popularity. A first-order model sees the successor pattern and, after an ordinary item, the session genre;
/// after a successor jump the session genre is visible only further back in the sequence.
/// </remarks>
public sealed class SyntheticSessions
{
    readonly double[] withinGenreWeights;

    SyntheticSessions(SessionGeneratorOptions options, int[] successor, int[][] sequences, int[][] sessionGenres)
    {
        Options = options;
        Successor = successor;
        Sequences = sequences;
        SessionGenres = sessionGenres;
        withinGenreWeights = WithinGenreWeights(options);
    }

    /// <summary>The options the data were generated with.</summary>
    public SessionGeneratorOptions Options { get; }

    /// <summary>Successor[i] is item i's planted successor (index 0 unused).</summary>
    public IReadOnlyList<int> Successor { get; }

    /// <summary>One sequence of item ids (1…N) per user, in time order.</summary>
    public IReadOnlyList<int[]> Sequences { get; }

    /// <summary>The hidden session genre at every step of every user's sequence (what a perfect model would track).</summary>
    public IReadOnlyList<int[]> SessionGenres { get; }

    /// <summary>The genre of an item: (item − 1) mod G.</summary>
    public int GenreOf(int item) => (item - 1) % Options.Genres;

    /// <summary>The popularity weight of an item inside its genre, normalised to sum to 1 over the genre.</summary>
    public double WithinGenreProbability(int item) => withinGenreWeights[(item - 1) / Options.Genres];

    /// <summary>Generates the sequences; the same options and seed give the same data.</summary>
    public static SyntheticSessions Generate(SessionGeneratorOptions options, int seed)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Items % options.Genres != 0) throw new ArgumentException("Items must be a multiple of Genres.", nameof(options));
        if (options.TasteGenres < 2 || options.TasteGenres > options.Genres) throw new ArgumentException("TasteGenres must be in 2…Genres.", nameof(options));
        if (options.MinLength < 3 || options.MaxLength < options.MinLength) throw new ArgumentException("Lengths must satisfy 3 ≤ MinLength ≤ MaxLength.", nameof(options));
        var random = new Random(seed);
        int n = options.Items, g = options.Genres;
        var successor = new int[n + 1];
        for (int i = 1; i <= n; i++)
        {
            int next;
            do next = 1 + random.Next(n); while (next == i);
            successor[i] = next;
        }
        var cumulative = Cumulative(WithinGenreWeights(options));
        int DrawFromGenre(int genre) => genre + 1 + g * Sample(cumulative, random.NextDouble());
        var sequences = new int[options.Users][];
        var genres = new int[options.Users][];
        for (int u = 0; u < options.Users; u++)
        {
            var taste = Enumerable.Range(0, g).OrderBy(_ => random.Next()).Take(options.TasteGenres).ToArray();
            int length = options.MinLength + random.Next(options.MaxLength - options.MinLength + 1);
            var items = new int[length];
            var session = new int[length];
            int current = taste[0];
            items[0] = DrawFromGenre(current);
            session[0] = current;
            for (int t = 1; t < length; t++)
            {
                if (random.NextDouble() < options.SuccessorProbability)
                    items[t] = successor[items[t - 1]];
                else
                {
                    if (random.NextDouble() < options.SwitchProbability)
                    {
                        var others = taste.Where(x => x != current).ToArray();
                        current = others[random.Next(others.Length)];
                    }
                    items[t] = DrawFromGenre(current);
                }
                session[t] = current;
            }
            sequences[u] = items;
            genres[u] = session;
        }
        return new SyntheticSessions(options, successor, sequences, genres);
    }

    static double[] WithinGenreWeights(SessionGeneratorOptions options)
    {
        int perGenre = options.Items / options.Genres;
        var weights = Enumerable.Range(1, perGenre).Select(r => 1.0 / Math.Pow(r, options.ZipfExponent)).ToArray();
        double total = weights.Sum();
        return weights.Select(w => w / total).ToArray();
    }

    static double[] Cumulative(double[] weights)
    {
        var c = new double[weights.Length];
        double sum = 0;
        for (int i = 0; i < weights.Length; i++) c[i] = sum += weights[i];
        return c;
    }

    static int Sample(double[] cumulative, double u)
    {
        for (int i = 0; i < cumulative.Length; i++)
            if (u < cumulative[i]) return i;
        return cumulative.Length - 1;
    }
}
