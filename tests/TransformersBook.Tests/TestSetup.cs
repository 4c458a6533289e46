using TransformersBook.Runtime;

namespace TransformersBook.Tests;

/// <summary>
/// Sets the library up once per test process, before any torch call: the same BookSetup.Start a chapter calls, which
/// installs TorchSharp's native resolver (libtorch from the NuGet cache) and registers the formatters.
/// </summary>
public static class TestSetup
{
    static readonly Lazy<BookContext> Context = new(() => BookSetup.Start("library-tests", 1234, output: null));

    public static BookContext Book => Context.Value;

    public static void Initialize() => _ = Context.Value;
}

/// <summary>
/// Tests that change process-wide state (environment variables, AppContext data, the current profile) or seed torch's
/// global generator run alone: a test in parallel would draw from the generator between the seed and the draws, and a
/// seeded outcome (a model that must overfit, a bound that holds for typical initialisations) would change.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessState
{
    public const string Name = "process state";
}

/// <summary>A temporary folder, deleted afterwards.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "book-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>Sets environment variables for the duration of a test and restores them.</summary>
public sealed class EnvironmentScope : IDisposable
{
    readonly Dictionary<string, string?> previous = new();

    public EnvironmentScope Set(string name, string? value)
    {
        if (!previous.ContainsKey(name)) previous[name] = Environment.GetEnvironmentVariable(name);
        Environment.SetEnvironmentVariable(name, value);
        return this;
    }

    public void Dispose()
    {
        foreach (var (name, value) in previous) Environment.SetEnvironmentVariable(name, value);
    }
}

/// <summary>Stands in for a notebook's display handle: a public Update(object), as in the engine and Polyglot.</summary>
public sealed class FakeDisplayHandle
{
    public List<object?> Updates { get; } = new();

    public void Update(object? value) => Updates.Add(value);
}
