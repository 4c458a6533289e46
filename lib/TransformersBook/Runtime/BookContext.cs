using System.Text;
using TorchSharp;

namespace TransformersBook.Runtime;

/// <summary>What <see cref="BookSetup.Start(string, int)"/> returns: the device, profile and seed a chapter runs with.</summary>
public sealed class BookContext
{
    internal BookContext(string chapter, torch.Device device, BookProfile profile, int seed, DeviceDiagnostics diagnostics, BookVersions versions)
    {
        Chapter = chapter;
        Device = device;
        Profile = profile;
        Seed = seed;
        Diagnostics = diagnostics;
        Versions = versions;
        Random = new Random(seed);
    }

    public string Chapter { get; }

    /// <summary>Where tensors and models go: <c>model.to(book.Device)</c>.</summary>
    public torch.Device Device { get; }

    /// <summary>True when <see cref="Device"/> is a GPU.</summary>
    public bool IsCuda => Device.type == DeviceType.CUDA;

    public BookProfile Profile { get; }

    public int Seed { get; }

    /// <summary>The chapter's managed random numbers, seeded with <see cref="Seed"/> (reset by <see cref="Reseed"/>).</summary>
    public Random Random { get; private set; }

    public DeviceDiagnostics Diagnostics { get; }

    public BookVersions Versions { get; }

    /// <summary>
    /// Seeds torch (CPU and CUDA) and <see cref="Random"/> again, so the stochastic step that follows (an initialisation,
    /// a sampled batch, a dropout mask) gives the same numbers on every run, whatever ran before it.
    /// </summary>
    public void Reseed(int? seed = null)
    {
        int value = seed ?? Seed;
        torch.manual_seed(value);
        if (IsCuda) torch.cuda.manual_seed_all(value);
        Random = new Random(value);
    }

    /// <summary>An independent, reproducible random stream (for example one per data loader), derived from the seed.</summary>
    public Random NewRandom(int stream) => new(unchecked(Seed * 1_000_003 + stream));

    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine($"{Chapter} · profile {Profile} · seed {Seed}");
        text.AppendLine($"device    {Diagnostics.Summary}");
        text.AppendLine($"libtorch  {Diagnostics.LibTorch} · {torch.get_num_threads()} CPU threads");
        // The details (versions, this machine's paths) are in the log, not in every chapter's output.
        if (Book.Native.TorchSharpNativeResolver.CompatibilityCopy is not null)
            text.AppendLine($"native    LibTorchSharp loaded from a copy made for this system's older libstdc++ (see logs/{Path.GetFileName(Book.Native.NativeLog.FilePath)} in the book's cache)");
        text.Append($"versions  {Versions}");
        return text.ToString();
    }
}
