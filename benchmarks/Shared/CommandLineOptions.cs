using System.Globalization;

/// <summary>
/// A benchmark's command line, <c>--name value</c> pairs: each value is read once by name, and whatever is left
/// unread, or cannot be read, is an error that shows the usage. Linked into each benchmark program.
/// </summary>
sealed class CommandLineOptions
{
    readonly Dictionary<string, string> values = new(StringComparer.Ordinal);
    readonly string usage;

    /// <summary>Reads the pairs; <c>-h</c> or <c>--help</c> prints the usage and exits.</summary>
    public CommandLineOptions(string[] args, string usage)
    {
        this.usage = usage;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] is "-h" or "--help") { Console.WriteLine(usage); Environment.Exit(0); }
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                throw new ArgumentException($"cannot read '{args[i]}'.\n{usage}");
            values[args[i][2..]] = args[++i];
        }
    }

    /// <summary>The text given for --<paramref name="name"/>, or null.</summary>
    public string? Text(string name) => values.Remove(name, out var value) ? value : null;

    /// <summary>The whole number given for --<paramref name="name"/>, or <paramref name="fallback"/>.</summary>
    public int Int(string name, int fallback) => IntOrNull(name) ?? fallback;

    /// <summary>The whole number given for --<paramref name="name"/>, or null.</summary>
    public int? IntOrNull(string name) => Text(name) is { } text
        ? int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value
            : throw new ArgumentException($"--{name} must be a whole number, not '{text}'.\n{usage}")
        : null;

    /// <summary>The number given for --<paramref name="name"/>, or <paramref name="fallback"/>.</summary>
    public double Double(string name, double fallback) => Text(name) is { } text
        ? double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value
            : throw new ArgumentException($"--{name} must be a number, not '{text}'.\n{usage}")
        : fallback;

    /// <summary>Fails when an option was given that no one read.</summary>
    public void RejectUnread()
    {
        if (values.Count > 0) throw new ArgumentException($"unknown option(s): {string.Join(", ", values.Keys.Select(k => "--" + k))}\n{usage}");
    }
}
