namespace Book.Native;

/// <summary>
/// The values of BOOK_PROFILE (and of <c>book run --profile</c>): one list and one parser, shared by the CLI, the engine
/// and the library, so a value one of them accepts is never refused by another.
/// </summary>
public static class RunProfiles
{
    /// <summary>A quick run: each chapter under 60 s on 2 CPU cores (what CI runs).</summary>
    public const string Smoke = "smoke";

    /// <summary>The full chapter; also what an unset variable means.</summary>
    public const string Default = "default";

    /// <summary>Every accepted value, in the order help text lists them.</summary>
    public static readonly string[] Names = { Smoke, Default };

    /// <summary>The profile BOOK_PROFILE names (default when unset).</summary>
    /// <exception cref="ArgumentException">The variable names no profile.</exception>
    public static string FromEnvironment() => Parse(Environment.GetEnvironmentVariable(BookEnvironment.Profile));

    /// <summary>Parses a profile value: empty means default; otherwise smoke or default, in any case.</summary>
    /// <exception cref="ArgumentException">The value names no profile.</exception>
    public static string Parse(string? value)
    {
        string text = (value ?? "").Trim();
        if (text.Length == 0 || text.Equals(Default, StringComparison.OrdinalIgnoreCase)) return Default;
        if (text.Equals(Smoke, StringComparison.OrdinalIgnoreCase)) return Smoke;
        const string name = BookEnvironment.Profile;
        throw new ArgumentException(
            $"{name}={value} is not a profile. Use {name}=smoke (a quick run: each chapter in under 60 s on 2 CPU cores) or " +
            $"{name}=default (the full chapter; also what an unset variable means).", nameof(value));
    }
}
