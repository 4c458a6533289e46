namespace TransformersBook.Evaluation;

/// <summary>
/// The unbiased pass@k estimator of Chen et al. (2021): from n sampled programs of which c pass the tests, the chance
/// that at least one of k programs drawn without replacement from the n passes, 1 − C(n−c, k) / C(n, k). Computed in
/// the numerically stable product form of the paper's Figure 3, 1 − ∏_{i=n−c+1}^{n} (1 − k / i), which never forms a
/// binomial coefficient (C(2000, 1000) alone overflows a double).
/// </summary>
public static class PassAtK
{
    /// <summary>The unbiased estimate of pass@k for one problem.</summary>
    /// <param name="n">Programs sampled (n ≥ k).</param>
    /// <param name="c">Programs among them that passed (0 ≤ c ≤ n).</param>
    /// <param name="k">The budget of attempts.</param>
    public static double Estimate(int n, int c, int k)
    {
        if (k < 1 || n < k) throw new ArgumentOutOfRangeException(nameof(k), k, $"need 1 ≤ k ≤ n (n = {n}).");
        if (c < 0 || c > n) throw new ArgumentOutOfRangeException(nameof(c), c, $"need 0 ≤ c ≤ n (n = {n}).");
        // Fewer than k failures: every draw of k contains a passing program.
        if (n - c < k) return 1.0;
        double allFail = 1.0;
        for (int i = n - c + 1; i <= n; i++) allFail *= 1.0 - (double)k / i;
        return 1.0 - allFail;
    }

    /// <summary>The mean of <see cref="Estimate"/> over problems, each given as (n, c).</summary>
    /// <param name="problems">Per problem: programs sampled and programs that passed.</param>
    /// <param name="k">The budget of attempts.</param>
    public static double Mean(IEnumerable<(int Sampled, int Passed)> problems, int k)
    {
        var list = problems.ToList();
        if (list.Count == 0) throw new ArgumentException("no problems.", nameof(problems));
        return list.Average(p => Estimate(p.Sampled, p.Passed, k));
    }

    /// <summary>The biased plug-in estimate 1 − (1 − c/n)^k, which treats the n samples as a pass rate (for comparison).</summary>
    /// <param name="n">Programs sampled.</param>
    /// <param name="c">Programs that passed.</param>
    /// <param name="k">The budget of attempts.</param>
    public static double PlugIn(int n, int c, int k) => 1.0 - Math.Pow(1.0 - (double)c / n, k);
}
