namespace TransformersBook.Scaling;

/// <summary>
/// Fits <see cref="ChinchillaLaw"/> to a sweep as Hoffmann et al. (2022, approach 3, eq. 10) do: in the log
/// parametrisation log L̂ = LSE(a − α log N, b − β log D, e), minimise Σ Huber_δ(log L̂ᵢ − log Lᵢ) from every point of a grid
/// of initialisations and keep the best. Hoffmann et al. used L-BFGS; here each start runs Levenberg–Marquardt on the Huber
/// objective by iteratively reweighted least squares, in double precision with the closed-form Jacobian of the
/// log-sum-exp, which converges to the same minimum in a few dozen iterations (on exact data, to a residual of 10⁻⁸).
/// Refits (bootstrap replicates, held-out folds) are weights on the points.
/// </summary>
public static class ScalingLawFit
{
    /// <summary>
    /// Hoffmann et al.'s grid of initialisations for (e, a, b, α, β): e ∈ {−1, −0.5, …, 1}, a, b ∈ {0, 5, …, 25},
    /// α, β ∈ {0, 0.5, …, 2}, 4,500 points.
    /// </summary>
    public static IReadOnlyList<double[]> HoffmannGrid() => Grid(2);

    /// <summary>Fits L(N, D) = E + A/N^α + B/D^β to <paramref name="points"/>.</summary>
    public static ChinchillaLaw Fit(IReadOnlyList<ScalingObservation> points, ScalingLawFitOptions? options = null) =>
        FitWeighted(points, new[] { Ones(points.Count) }, options)[0];

    /// <summary>
    /// One fit per row of <paramref name="weights"/> (a weight per point: bootstrap counts, 0 for a held-out point). The
    /// full unweighted data chooses the starts: the grid's best <see cref="ScalingLawFitOptions.Keep"/> results, which
    /// every refit then refines.
    /// </summary>
    public static IReadOnlyList<ChinchillaLaw> FitWeighted(IReadOnlyList<ScalingObservation> points, IReadOnlyList<double[]> weights,
        ScalingLawFitOptions? options = null)
    {
        RequirePoints(points, 5);
        var x = points.Select(p => new[] { Math.Log(p.Parameters), Math.Log(p.Tokens) }).ToArray();
        return FitTerms(x, points.Select(p => p.Loss).ToArray(), weights, options)
            .Select(t => ChinchillaLaw.FromLogParameters(t[1], t[2], t[0], t[3], t[4])).ToList();
    }

    /// <summary>
    /// Refits on <paramref name="replicates"/> bootstrap samples of the points (drawn with replacement, as many as there
    /// are points; Efron, 1979): the spread of the refits measures how much the sweep's points pin the law down.
    /// </summary>
    public static IReadOnlyList<ChinchillaLaw> Bootstrap(IReadOnlyList<ScalingObservation> points, int replicates, int seed,
        ScalingLawFitOptions? options = null) =>
        FitWeighted(points, BootstrapWeights(points.Count, replicates, seed), options);

    /// <summary>Weights of bootstrap samples: row r counts how often each point was drawn in sample r.</summary>
    public static double[][] BootstrapWeights(int points, int replicates, int seed)
    {
        if (replicates < 1) throw new ArgumentOutOfRangeException(nameof(replicates), replicates, "At least one replicate.");
        var random = new Random(seed);
        return Enumerable.Range(0, replicates).Select(_ =>
        {
            var counts = new double[points];
            for (int i = 0; i < points; i++) counts[random.Next(points)]++;
            return counts;
        }).ToArray();
    }

    /// <summary>Fits L(x) = E + A/x^α (a single power law, e.g. in compute alone) to (x, L) pairs.</summary>
    public static PowerLaw FitPowerLaw(IReadOnlyList<double> x, IReadOnlyList<double> loss, ScalingLawFitOptions? options = null) =>
        FitPowerLawWeighted(x, loss, new[] { Ones(x.Count) }, options)[0];

    /// <summary>One single-variable power-law fit per row of <paramref name="weights"/>, as <see cref="FitWeighted"/>.</summary>
    public static IReadOnlyList<PowerLaw> FitPowerLawWeighted(IReadOnlyList<double> x, IReadOnlyList<double> loss,
        IReadOnlyList<double[]> weights, ScalingLawFitOptions? options = null)
    {
        if (x.Count != loss.Count) throw new ArgumentException("x and the losses must pair up.", nameof(loss));
        if (x.Any(v => !(v > 0))) throw new ArgumentException("x must be positive.", nameof(x));
        if (x.Count < 3) throw new ArgumentException("A power law has three parameters: give at least three points.", nameof(x));
        var logX = x.Select(v => new[] { Math.Log(v) }).ToArray();
        return FitTerms(logX, loss.ToArray(), weights, options)
            .Select(t => new PowerLaw(Math.Exp(t[0]), Math.Exp(t[1]), t[2])).ToList();
    }

    /// <summary>Hoffmann's objective of a law on the points: Σ Huber_δ(log L̂ᵢ − log Lᵢ).</summary>
    public static double Objective(ChinchillaLaw law, IReadOnlyList<ScalingObservation> points, double delta = HuberLoss.HoffmannDelta) =>
        points.Sum(p => HuberLoss.Value(Math.Log(law.Loss(p.Parameters, p.Tokens)) - Math.Log(p.Loss), delta));

    /// <summary>
    /// The gradient of <see cref="Objective"/> with respect to Hoffmann's parameters (e, a, b, α, β), from the closed form:
    /// with sⱼ the softmax weights of the three log-sum-exp terms, ∂log L̂/∂e = s₀, ∂/∂a = s₁, ∂/∂b = s₂,
    /// ∂/∂α = −s₁ log N, ∂/∂β = −s₂ log D, times Huber'(r) = clamp(r, −δ, δ).
    /// </summary>
    public static double[] ObjectiveGradient(ChinchillaLaw law, IReadOnlyList<ScalingObservation> points, double delta = HuberLoss.HoffmannDelta)
    {
        var theta = new[] { Math.Log(law.E), Math.Log(law.A), Math.Log(law.B), law.Alpha, law.Beta };
        var gradient = new double[5];
        var jacobian = new double[5];
        foreach (var p in points)
        {
            double r = Predict(theta, new[] { Math.Log(p.Parameters), Math.Log(p.Tokens) }, jacobian) - Math.Log(p.Loss);
            double slope = Math.Clamp(r, -delta, delta);
            for (int j = 0; j < 5; j++) gradient[j] += slope * jacobian[j];
        }
        return gradient;
    }

    /// <summary>
    /// The core: log L̂ = LSE(e, a₁ − α₁x₁, …, a_K − α_K x_K) with θ = (e, a₁…a_K, α₁…α_K); for each weight row, the θ
    /// with the least weighted Huber objective.
    /// </summary>
    static double[][] FitTerms(double[][] logX, double[] loss, IReadOnlyList<double[]> weights, ScalingLawFitOptions? options)
    {
        options ??= new ScalingLawFitOptions();
        options.Validate();
        int p = loss.Length;
        if (loss.Any(l => !(l > 0))) throw new ArgumentException("Losses must be positive (their logarithms are fitted).", nameof(loss));
        if (weights.Count == 0 || weights.Any(w => w.Length != p || w.Any(v => v < 0)))
            throw new ArgumentException("Give at least one weight row, one non-negative weight per point.", nameof(weights));
        var logLoss = loss.Select(l => Math.Log(l)).ToArray();
        var unweighted = Ones(p);

        // Stage 1: a few iterations from every grid point on the unweighted data; keep the best few, distinct.
        var starts = Grid(logX[0].Length)
            .Select(g => Minimise(g, logX, logLoss, unweighted, options.Delta, options.GridIterations))
            .Where(r => double.IsFinite(r.Objective))
            .OrderBy(r => r.Objective)
            .Select(r => r.Theta)
            .Take(options.Keep)
            .ToList();

        // Stage 2: every weight row from every kept start, to convergence; the best result per row.
        return weights.Select(w => starts
                .Select(s => Minimise(s, logX, logLoss, w, options.Delta, options.RefineIterations))
                .OrderBy(r => r.Objective).First().Theta)
            .ToArray();
    }

    /// <summary>
    /// Levenberg–Marquardt on the Huber objective by iteratively reweighted least squares (Holland and Welsch, 1977):
    /// at residual r the Huber loss lies below the parabola with weight min(1, δ/|r|) that touches it there, so a
    /// damped Gauss–Newton step on that weighted least-squares problem, kept only when the true objective falls, can
    /// only lower it. The damping λ grows after a rejected step and shrinks after an accepted one.
    /// </summary>
    static (double[] Theta, double Objective) Minimise(double[] start, double[][] x, double[] y, double[] w, double delta, int iterations)
    {
        int n = start.Length, p = y.Length;
        var theta = (double[])start.Clone();
        var jacobian = new double[p][];
        var residual = new double[p];
        for (int i = 0; i < p; i++) jacobian[i] = new double[n];
        double objective = WeightedObjective(theta, x, y, w, delta);
        double damping = 1e-3;
        for (int iteration = 0; iteration < iterations && double.IsFinite(objective); iteration++)
        {
            var normal = new double[n, n];
            var rhs = new double[n];
            for (int i = 0; i < p; i++)
            {
                if (w[i] == 0) continue;
                residual[i] = Predict(theta, x[i], jacobian[i]) - y[i];
                double u = w[i] * Math.Min(1, delta / Math.Max(Math.Abs(residual[i]), 1e-300));
                for (int j = 0; j < n; j++)
                {
                    rhs[j] -= u * jacobian[i][j] * residual[i];
                    for (int l = 0; l <= j; l++) normal[j, l] += u * jacobian[i][j] * jacobian[i][l];
                }
            }
            for (int j = 0; j < n; j++)
                for (int l = 0; l < j; l++) normal[l, j] = normal[j, l];
            bool accepted = false;
            for (int attempt = 0; attempt < 12 && !accepted; attempt++)
            {
                var damped = (double[,])normal.Clone();
                for (int j = 0; j < n; j++) damped[j, j] += damping * (normal[j, j] + 1e-12);
                var step = Solve(damped, rhs);
                if (step is null) { damping *= 4; continue; }
                var candidate = theta.Zip(step, (t, s) => t + s).ToArray();
                double value = WeightedObjective(candidate, x, y, w, delta);
                if (value < objective)
                {
                    bool converged = objective - value <= 1e-14 * objective;
                    theta = candidate;
                    objective = value;
                    damping = Math.Max(damping / 3, 1e-12);
                    accepted = true;
                    if (converged) return (theta, objective);
                }
                else damping *= 4;
            }
            if (!accepted) break;
        }
        return (theta, objective);
    }

    /// <summary>log L̂ = LSE(θ₀, θ_k − θ_{K+k} x_k) and its gradient with respect to θ, computed stably.</summary>
    static double Predict(double[] theta, double[] x, double[] gradient)
    {
        int k = x.Length;
        Span<double> terms = stackalloc double[k + 1];
        terms[0] = theta[0];
        for (int i = 0; i < k; i++) terms[i + 1] = theta[1 + i] - theta[1 + k + i] * x[i];
        double max = double.NegativeInfinity;
        foreach (var t in terms) max = Math.Max(max, t);
        double sum = 0;
        foreach (var t in terms) sum += Math.Exp(t - max);
        gradient[0] = Math.Exp(terms[0] - max) / sum;
        for (int i = 0; i < k; i++)
        {
            double share = Math.Exp(terms[i + 1] - max) / sum;
            gradient[1 + i] = share;
            gradient[1 + k + i] = -share * x[i];
        }
        return max + Math.Log(sum);
    }

    static double WeightedObjective(double[] theta, double[][] x, double[] y, double[] w, double delta)
    {
        var unused = new double[theta.Length];
        double total = 0;
        for (int i = 0; i < y.Length; i++)
            if (w[i] != 0) total += w[i] * HuberLoss.Value(Predict(theta, x[i], unused) - y[i], delta);
        return total;
    }

    /// <summary>Solves A s = b by Gaussian elimination with partial pivoting; null when A is singular.</summary>
    static double[]? Solve(double[,] a, double[] b)
    {
        int n = b.Length;
        var m = (double[,])a.Clone();
        var v = (double[])b.Clone();
        for (int c = 0; c < n; c++)
        {
            int pivot = c;
            for (int r = c + 1; r < n; r++) if (Math.Abs(m[r, c]) > Math.Abs(m[pivot, c])) pivot = r;
            if (!(Math.Abs(m[pivot, c]) > 1e-300)) return null;
            if (pivot != c)
            {
                for (int j = 0; j < n; j++) (m[c, j], m[pivot, j]) = (m[pivot, j], m[c, j]);
                (v[c], v[pivot]) = (v[pivot], v[c]);
            }
            for (int r = c + 1; r < n; r++)
            {
                double f = m[r, c] / m[c, c];
                for (int j = c; j < n; j++) m[r, j] -= f * m[c, j];
                v[r] -= f * v[c];
            }
        }
        var s = new double[n];
        for (int r = n - 1; r >= 0; r--)
        {
            double acc = v[r];
            for (int j = r + 1; j < n; j++) acc -= m[r, j] * s[j];
            s[r] = acc / m[r, r];
        }
        return s.All(double.IsFinite) ? s : null;
    }

    /// <summary>The grid for K terms: e ∈ {−1, …, 1} step 0.5, each a_k ∈ {0, …, 25} step 5, each α_k ∈ {0, …, 2} step 0.5.</summary>
    static IReadOnlyList<double[]> Grid(int k)
    {
        double[] es = { -1, -0.5, 0, 0.5, 1 }, scales = { 0, 5, 10, 15, 20, 25 }, exponents = { 0, 0.5, 1, 1.5, 2 };
        IEnumerable<double[]> rows = es.Select(e => new[] { e });
        for (int i = 0; i < k; i++) rows = rows.SelectMany(r => scales.Select(s => r.Append(s).ToArray()));
        for (int i = 0; i < k; i++) rows = rows.SelectMany(r => exponents.Select(s => r.Append(s).ToArray()));
        return rows.ToList();
    }

    static double[] Ones(int n) => Enumerable.Repeat(1.0, n).ToArray();

    static void RequirePoints(IReadOnlyList<ScalingObservation> points, int minimum)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count < minimum) throw new ArgumentException($"The law has five parameters: give at least {minimum} points.", nameof(points));
        if (points.Any(p => !(p.Parameters > 0 && p.Tokens > 0 && p.Loss > 0)))
            throw new ArgumentException("N, D and L must be positive.", nameof(points));
    }
}
