namespace Book.Engine.Packages;

/// <summary>
/// What a set of NuGet packages contributes to a session: assemblies to compile against, assemblies to load
/// (by simple name) and native libraries (by file name), all as absolute paths into the packages folder.
/// </summary>
public sealed record RestoredPackages(
    IReadOnlyList<string> CompileAssemblies,
    IReadOnlyDictionary<string, string> RuntimeAssemblies,
    IReadOnlyDictionary<string, string> NativeLibraries)
{
    public static readonly RestoredPackages None = new(
        Array.Empty<string>(), new Dictionary<string, string>(), new Dictionary<string, string>());
}
