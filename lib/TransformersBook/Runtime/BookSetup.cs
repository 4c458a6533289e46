using Book.Native;
using TorchSharp;
using TransformersBook.Display;

namespace TransformersBook.Runtime;

/// <summary>
/// The second cell of every chapter: <c>var book = BookSetup.Start("gpt-from-scratch");</c>. It chooses libtorch and the
/// device before the first torch call, registers the book's formatters, seeds everything and prints one compact block
/// (chapter, profile, device and why not CUDA, versions, seed). Compiled hosts (tests, benchmarks) and Polyglot
/// Notebooks must call it before any torch call; in the book's engine the native resolver is already installed and
/// this only reports what was chosen.
/// </summary>
public static class BookSetup
{
    static readonly object Gate = new();
    static (LibTorchSituation Situation, LibTorchPlan Plan, DeviceDiagnostics Diagnostics)? selected;

    /// <summary>The context of the latest <see cref="Start(string, int)"/>, or null before setup.</summary>
    public static BookContext? Current { get; private set; }

    /// <summary>
    /// Raised when a chapter starts, before it runs anything: what keeps per-chapter state (the claims checked so far)
    /// starts afresh, without setup having to know it.
    /// </summary>
    public static event Action? Started;

    /// <summary>Sets the chapter up and prints the setup block to the console.</summary>
    /// <param name="chapterName">The chapter's slug, e.g. "gpt-from-scratch".</param>
    /// <param name="seed">The seed for torch and <see cref="BookContext.Random"/>.</param>
    /// <exception cref="ArgumentException">BOOK_PROFILE or BOOK_DEVICE has a value that names nothing.</exception>
    /// <exception cref="InvalidOperationException">BOOK_DEVICE=cuda, and CUDA cannot be used (the message says why).</exception>
    public static BookContext Start(string chapterName, int seed = 1234) => Start(chapterName, seed, Console.Out);

    /// <summary>Sets the chapter up and writes the setup block to <paramref name="output"/> (null: nowhere).</summary>
    public static BookContext Start(string chapterName, int seed, TextWriter? output)
    {
        ArgumentException.ThrowIfNullOrEmpty(chapterName);
        TransformersBook.Onnx.OnnxRuntimeLoading.Install();
        var profileName = BookProfile.Parse(Environment.GetEnvironmentVariable(BookProfile.EnvironmentVariable));
        var request = DeviceSelection.Requested();
        var diagnostics = SelectDevice(request);
        var profile = new BookProfile(profileName, diagnostics.UsesCuda);
        BookProfile.Current = profile;
        BookFormatters.Register();

        var device = diagnostics.UsesCuda ? torch.CUDA : torch.CPU;
        var context = new BookContext(chapterName, device, profile, seed, diagnostics, BookVersions.Current());
        WithNativeLoadHint(() => { context.Reseed(); return true; });
        Started?.Invoke();
        Current = context;
        output?.WriteLine(context.ToString());
        return context;
    }

    /// <summary>Turns TorchSharp's failure to load native code into a message that says what the book needs.</summary>
    static T WithNativeLoadHint<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is DllNotFoundException or NotSupportedException or TypeInitializationException)
        {
            throw new InvalidOperationException(
                $"TorchSharp's native libraries did not load ({e.GetType().Name}: {e.Message}). The book needs the packages of its " +
                "first cell (#r \"nuget: TorchSharp-cpu, 0.107.0\"); a compiled host references TorchSharp and restores " +
                "libtorch-cpu-linux-x64, so that Book.Native finds libtorch in the NuGet cache.", e);
        }
    }

    /// <summary>
    /// Chooses libtorch and the device once per process (a process loads libtorch once); later calls with the same
    /// request reuse the choice, and a later different request is planned around the libtorch already chosen.
    /// Installs TorchSharp's native resolver unless a host already did.
    /// </summary>
    public static DeviceDiagnostics SelectDevice(DeviceRequest request)
    {
        lock (Gate)
        {
            if (selected is { } previous && previous.Situation.Request == request) return previous.Diagnostics;
            var torchSharp = typeof(torch).Assembly;
            var situation = DeviceSelection.Observe(request, torchSharp);
            var plan = DeviceSelection.Plan(situation, () =>
            {
                var install = PyTorchInstall.Find(out string problem);
                return (install, problem);
            });
            var diagnostics = WithNativeLoadHint(() => DeviceSelection.Apply(situation, plan, torchSharp));
            selected = (situation, plan, diagnostics);
            return diagnostics;
        }
    }
}
