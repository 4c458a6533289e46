using static TorchSharp.torch;

namespace TransformersBook.Interpretability;

/// <summary>
/// Control tasks for probes (Hewitt &amp; Liang, 2019): give every token type a random label, drawn once, so the labels
/// follow the tokens but mean nothing about the context. A probe that reaches high accuracy on the control task is
/// memorising token identity; the <em>selectivity</em>, accuracy on the real task minus accuracy on the control task,
/// is the part of the probe's success the representation, not the probe, accounts for.
/// </summary>
public static class ControlTask
{
    /// <summary>A random label per token type, drawn from <paramref name="classFrequencies"/> (uniform if null).</summary>
    public static long[] AssignLabels(int vocabulary, int classes, Random random, IReadOnlyList<double>? classFrequencies = null)
    {
        var frequencies = classFrequencies ?? Enumerable.Repeat(1.0 / classes, classes).ToArray();
        if (frequencies.Count != classes) throw new ArgumentException($"{frequencies.Count} frequencies for {classes} classes.", nameof(classFrequencies));
        double total = frequencies.Sum();
        var labels = new long[vocabulary];
        for (int token = 0; token < vocabulary; token++)
        {
            double u = random.NextDouble() * total, cumulative = 0;
            int label = classes - 1;
            for (int c = 0; c < classes; c++)
            {
                cumulative += frequencies[c];
                if (u < cumulative) { label = c; break; }
            }
            labels[token] = label;
        }
        return labels;
    }

    /// <summary>The control labels of the given tokens (any shape): labels[token].</summary>
    public static Tensor Labels(Tensor tokens, long[] assignment) =>
        tensor(assignment, device: tokens.device).index_select(0, tokens.flatten()).view(tokens.shape);

    /// <summary>Selectivity: accuracy on the real task minus accuracy on the control task.</summary>
    public static double Selectivity(double probeAccuracy, double controlAccuracy) => probeAccuracy - controlAccuracy;
}
