namespace TransformersBook.Runtime;

/// <summary>
/// Shorthand for the current <see cref="BookProfile"/>, so a chapter cell can write
/// <c>int steps = Profile.Pick(smoke: 50, @default: 2000, gpu: 5000);</c>.
/// </summary>
public static class Profile
{
    /// <summary>The profile set by <see cref="BookSetup.Start(string, int)"/> (or read from BOOK_PROFILE before setup).</summary>
    public static BookProfile Current => BookProfile.Current;

    public static bool IsSmoke => BookProfile.Current.IsSmoke;

    /// <inheritdoc cref="BookProfile.Pick{T}(T, T)"/>
    public static T Pick<T>(T smoke, T @default) => BookProfile.Current.Pick(smoke, @default);

    /// <inheritdoc cref="BookProfile.Pick{T}(T, T, T)"/>
    public static T Pick<T>(T smoke, T @default, T gpu) => BookProfile.Current.Pick(smoke, @default, gpu);
}
