namespace TransformersBook.Adversarial;

/// <summary>
/// An input-side rule that flags a data field as an injection when it contains any of a list of trigger phrases
/// (compared ordinally, case-insensitively). A flagged input is refused rather than answered, so the detector's
/// false-positive rate on clean data is the share of honest requests it turns away.
/// </summary>
public sealed class InjectionDetector
{
    /// <param name="triggers">The phrases that mark an injection; none may be empty.</param>
    public InjectionDetector(IEnumerable<string> triggers)
    {
        ArgumentNullException.ThrowIfNull(triggers);
        Triggers = triggers.ToArray();
        if (Triggers.Count == 0 || Triggers.Any(string.IsNullOrEmpty)) throw new ArgumentException("the detector needs non-empty triggers.", nameof(triggers));
    }

    /// <summary>The trigger phrases.</summary>
    public IReadOnlyList<string> Triggers { get; }

    /// <summary>True when the data contains a trigger.</summary>
    public bool Flags(string data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Triggers.Any(t => data.Contains(t, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The share of the data fields that are flagged: the false-positive rate on clean data, the detection rate on injected data.</summary>
    public double FlagRate(IReadOnlyCollection<string> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Count == 0) throw new ArgumentException("no data to flag.", nameof(data));
        return data.Count(Flags) / (double)data.Count;
    }
}
