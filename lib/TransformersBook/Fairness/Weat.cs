namespace TransformersBook.Fairness;

/// <summary>
/// The Word Embedding Association Test (Caliskan, Bryson and Narayanan, 2017). For a word w and attribute sets A, B,
/// s(w, A, B) = mean_a cos(w, a) − mean_b cos(w, b). For target sets X, Y the statistic is
/// s(X, Y, A, B) = Σ_x s(x, A, B) − Σ_y s(y, A, B), and the effect size is
/// d = (mean_x s(x, A, B) − mean_y s(y, A, B)) / std_{w ∈ X ∪ Y} s(w, A, B), with the sample standard deviation
/// (n − 1 in the denominator, as the reference implementations compute it). The one-sided p-value is the share of
/// partitions (X_i, Y_i) of X ∪ Y into sets of sizes |X| and |Y| with s(X_i, Y_i, A, B) ≥ s(X, Y, A, B); the paper
/// writes "&gt;", this counts ties (and so the observed partition itself), which keeps p a valid p-value and never 0.
/// The partitions are enumerated exactly when there are at most <c>exactLimit</c>, else sampled, and a sampled p-value
/// is (1 + #{≥}) / (1 + samples) (Phipson and Smyth, 2010).
/// </summary>
public static class Weat
{
    /// <summary>The cosine of two vectors of equal length (0 when one is zero).</summary>
    public static double Cosine(IReadOnlyList<double> u, IReadOnlyList<double> v)
    {
        ArgumentNullException.ThrowIfNull(u);
        ArgumentNullException.ThrowIfNull(v);
        if (u.Count != v.Count) throw new ArgumentException($"The vectors have lengths {u.Count} and {v.Count}.");
        double dot = 0, uu = 0, vv = 0;
        for (int i = 0; i < u.Count; i++)
        {
            dot += u[i] * v[i];
            uu += u[i] * u[i];
            vv += v[i] * v[i];
        }
        return uu == 0 || vv == 0 ? 0 : dot / Math.Sqrt(uu * vv);
    }

    /// <summary>s(w, A, B): the mean cosine of w with the words of A minus its mean cosine with those of B.</summary>
    public static double Association(IReadOnlyList<double> word, IReadOnlyList<IReadOnlyList<double>> a, IReadOnlyList<IReadOnlyList<double>> b)
    {
        RequireNonEmpty(a, nameof(a));
        RequireNonEmpty(b, nameof(b));
        return a.Average(x => Cosine(word, x)) - b.Average(x => Cosine(word, x));
    }

    /// <summary>s(X, Y, A, B) = Σ_x s(x, A, B) − Σ_y s(y, A, B).</summary>
    public static double Statistic(IReadOnlyList<IReadOnlyList<double>> x, IReadOnlyList<IReadOnlyList<double>> y,
        IReadOnlyList<IReadOnlyList<double>> a, IReadOnlyList<IReadOnlyList<double>> b)
    {
        RequireNonEmpty(x, nameof(x));
        RequireNonEmpty(y, nameof(y));
        return x.Sum(w => Association(w, a, b)) - y.Sum(w => Association(w, a, b));
    }

    /// <summary>
    /// The effect size d: the difference of the mean associations of X and Y over the sample standard deviation of the
    /// associations of all words of X ∪ Y. Swapping X and Y negates it. NaN when every association is equal.
    /// </summary>
    public static double EffectSize(IReadOnlyList<IReadOnlyList<double>> x, IReadOnlyList<IReadOnlyList<double>> y,
        IReadOnlyList<IReadOnlyList<double>> a, IReadOnlyList<IReadOnlyList<double>> b)
    {
        RequireNonEmpty(x, nameof(x));
        RequireNonEmpty(y, nameof(y));
        var sx = x.Select(w => Association(w, a, b)).ToArray();
        var sy = y.Select(w => Association(w, a, b)).ToArray();
        return EffectSizeOfAssociations(sx, sy);
    }

    /// <summary>The effect size from the associations s(w, A, B) already computed for X and for Y.</summary>
    public static double EffectSizeOfAssociations(IReadOnlyList<double> associationsX, IReadOnlyList<double> associationsY)
    {
        ArgumentNullException.ThrowIfNull(associationsX);
        ArgumentNullException.ThrowIfNull(associationsY);
        var all = associationsX.Concat(associationsY).ToArray();
        if (all.Length < 2) throw new ArgumentException("The effect size needs at least two target words.");
        double mean = all.Average();
        double std = Math.Sqrt(all.Sum(s => (s - mean) * (s - mean)) / (all.Length - 1));
        double difference = associationsX.Average() - associationsY.Average();
        return std == 0 ? double.NaN : difference / std;
    }

    /// <summary>
    /// The test: statistic, effect size and one-sided permutation p-value (is X more associated with A, and Y with B,
    /// than a random split of the same words would be?).
    /// </summary>
    /// <param name="x">The first target set's vectors.</param>
    /// <param name="y">The second target set's vectors.</param>
    /// <param name="a">The first attribute set's vectors.</param>
    /// <param name="b">The second attribute set's vectors.</param>
    /// <param name="exactLimit">Enumerate every partition when there are at most this many.</param>
    /// <param name="samples">Otherwise, how many random partitions to draw.</param>
    /// <param name="seed">The seed of the random partitions.</param>
    public static WeatResult Test(IReadOnlyList<IReadOnlyList<double>> x, IReadOnlyList<IReadOnlyList<double>> y,
        IReadOnlyList<IReadOnlyList<double>> a, IReadOnlyList<IReadOnlyList<double>> b,
        long exactLimit = 1_000_000, int samples = 100_000, int seed = 0)
    {
        RequireNonEmpty(x, nameof(x));
        RequireNonEmpty(y, nameof(y));
        var sx = x.Select(w => Association(w, a, b)).ToArray();
        var sy = y.Select(w => Association(w, a, b)).ToArray();
        return TestOfAssociations(sx, sy, exactLimit, samples, seed);
    }

    /// <summary><see cref="Test"/> from the associations s(w, A, B) already computed for X and for Y.</summary>
    /// <param name="associationsX">s(x, A, B) for each word of X.</param>
    /// <param name="associationsY">s(y, A, B) for each word of Y.</param>
    /// <param name="exactLimit">Enumerate every partition when there are at most this many.</param>
    /// <param name="samples">Otherwise, how many random partitions to draw.</param>
    /// <param name="seed">The seed of the random partitions.</param>
    public static WeatResult TestOfAssociations(IReadOnlyList<double> associationsX, IReadOnlyList<double> associationsY,
        long exactLimit = 1_000_000, int samples = 100_000, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(associationsX);
        ArgumentNullException.ThrowIfNull(associationsY);
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), samples, "At least one sample is needed.");
        var all = associationsX.Concat(associationsY).ToArray();
        int n = all.Length, k = associationsX.Count;
        double total = all.Sum();
        // s(X_i, Y_i) = Σ_{X_i} s − (total − Σ_{X_i} s) = 2 Σ_{X_i} s − total: only the sum over X_i varies.
        double observed = associationsX.Sum() - associationsY.Sum();
        double effect = EffectSizeOfAssociations(associationsX, associationsY);
        // A partition counts when its statistic reaches the observed one, up to rounding of the sums.
        double tolerance = 1e-12 * Math.Max(1.0, all.Sum(Math.Abs));
        bool Reaches(double sumOfXi) => 2 * sumOfXi - total >= observed - tolerance;
        double count = Combinations(n, k);
        if (count <= exactLimit)
        {
            long reached = 0, seen = 0;
            foreach (double sum in SubsetSums(all, k))
            {
                seen++;
                if (Reaches(sum)) reached++;
            }
            return new WeatResult(observed, effect, (double)reached / seen, seen, Exact: true);
        }
        var random = new Random(seed);
        var order = Enumerable.Range(0, n).ToArray();
        long hits = 0;
        for (int s = 0; s < samples; s++)
        {
            // A partial Fisher–Yates shuffle: the first k positions are a uniform random subset.
            double sum = 0;
            for (int i = 0; i < k; i++)
            {
                int j = i + random.Next(n - i);
                (order[i], order[j]) = (order[j], order[i]);
                sum += all[order[i]];
            }
            if (Reaches(sum)) hits++;
        }
        return new WeatResult(observed, effect, (1.0 + hits) / (1.0 + samples), samples, Exact: false);
    }

    /// <summary>The binomial coefficient C(n, k) as a double (exact up to 2^53).</summary>
    public static double Combinations(int n, int k)
    {
        if (k < 0 || k > n) return 0;
        double c = 1;
        for (int i = 1; i <= Math.Min(k, n - k); i++) c = c * (n - Math.Min(k, n - k) + i) / i;
        return Math.Round(c);
    }

    /// <summary>The sum of every k-element subset of the values, each subset once (lexicographic order of indices).</summary>
    static IEnumerable<double> SubsetSums(double[] values, int k)
    {
        int n = values.Length;
        var index = Enumerable.Range(0, k).ToArray();
        while (true)
        {
            double sum = 0;
            for (int i = 0; i < k; i++) sum += values[index[i]];
            yield return sum;
            int p = k - 1;
            while (p >= 0 && index[p] == n - k + p) p--;
            if (p < 0) yield break;
            index[p]++;
            for (int i = p + 1; i < k; i++) index[i] = index[i - 1] + 1;
        }
    }

    static void RequireNonEmpty<T>(IReadOnlyList<T> set, string name)
    {
        ArgumentNullException.ThrowIfNull(set, name);
        if (set.Count == 0) throw new ArgumentException("A WEAT word set needs at least one vector.", name);
    }
}
