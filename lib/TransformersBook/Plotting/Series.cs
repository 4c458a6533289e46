namespace TransformersBook.Plotting;

/// <summary>One named line or point set of a chart.</summary>
/// <param name="Name">The legend entry.</param>
/// <param name="X">The x values.</param>
/// <param name="Y">The y values, as many as <paramref name="X"/>.</param>
public sealed record Series(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y)
{
    /// <summary>A series from (x, y) values; both must have the same length.</summary>
    public static Series Of(string name, IEnumerable<double> x, IEnumerable<double> y)
    {
        var xs = x.ToArray();
        var ys = y.ToArray();
        if (xs.Length != ys.Length)
            throw new ArgumentException($"Series '{name}' has {xs.Length} x values but {ys.Length} y values.", nameof(y));
        return new Series(name, xs, ys);
    }

    /// <summary>A series whose x values are 0, 1, 2, ... (an index, a step, a position).</summary>
    public static Series Of(string name, IEnumerable<double> y)
    {
        var ys = y.ToArray();
        return new Series(name, Enumerable.Range(0, ys.Length).Select(i => (double)i).ToArray(), ys);
    }
}
