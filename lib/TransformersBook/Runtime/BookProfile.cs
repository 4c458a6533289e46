using Book.Native;

namespace TransformersBook.Runtime;

/// <summary>
/// The profile a chapter runs in (BOOK_PROFILE=smoke|default) and whether it runs on a GPU. Chapters size their
/// experiments with <see cref="Pick{T}(T, T, T)"/>, so one notebook serves CI, a laptop and a GPU without edits.
/// </summary>
public sealed class BookProfile
{
    /// <summary>The environment variable that selects the profile.</summary>
    public const string EnvironmentVariable = BookEnvironment.Profile;

    static BookProfile? current;

    public BookProfile(ProfileName name, bool onGpu)
    {
        Name = name;
        OnGpu = onGpu;
    }

    public ProfileName Name { get; }

    /// <summary>True when the chapter runs on CUDA; then <see cref="Pick{T}(T, T, T)"/> chooses the GPU size (except in smoke).</summary>
    public bool OnGpu { get; }

    public bool IsSmoke => Name == ProfileName.Smoke;

    /// <summary>
    /// The profile set by <see cref="BookSetup.Start(string, int)"/>; before setup, the one BOOK_PROFILE names (on CPU), so library
    /// code such as <c>Claim</c> also works in a host that never called setup.
    /// </summary>
    public static BookProfile Current
    {
        get => current ?? FromEnvironment(onGpu: false);
        internal set => current = value;
    }

    /// <summary>Reads BOOK_PROFILE; an unknown value is an error, not a silent default.</summary>
    public static BookProfile FromEnvironment(bool onGpu) =>
        new(Parse(Environment.GetEnvironmentVariable(EnvironmentVariable)), onGpu);

    /// <summary>Parses a BOOK_PROFILE value: empty means default; otherwise smoke or default, in any case.</summary>
    /// <exception cref="ArgumentException">The value names no profile.</exception>
    public static ProfileName Parse(string? value) =>
        RunProfiles.Parse(value) == RunProfiles.Smoke ? ProfileName.Smoke : ProfileName.Default;

    /// <summary>Chooses a size by profile: <paramref name="smoke"/> in smoke, else <paramref name="default"/>.</summary>
    public T Pick<T>(T smoke, T @default) => IsSmoke ? smoke : @default;

    /// <summary>
    /// Chooses a size by profile and device: <paramref name="smoke"/> in smoke (even on a GPU, so CI stays fast),
    /// <paramref name="gpu"/> in the default profile on CUDA, else <paramref name="default"/>.
    /// </summary>
    public T Pick<T>(T smoke, T @default, T gpu) => IsSmoke ? smoke : OnGpu ? gpu : @default;

    public override string ToString() => Name == ProfileName.Smoke ? "smoke" : OnGpu ? "default (GPU sizes)" : "default";
}
