namespace Book.Native;

/// <summary>
/// The values of BOOK_DEVICE (and of <c>book run --device</c>): one list and one parser for the CLI, the engine, the
/// tensors' device choice and the GPU kernels, so "cpu" means the same to all of them.
/// </summary>
public static class DeviceChoices
{
    /// <summary>CUDA when it can be used, else the CPU; also what an unset variable means.</summary>
    public const string Auto = "auto";

    /// <summary>The CPU, even where a GPU is present.</summary>
    public const string Cpu = "cpu";

    /// <summary>CUDA, or an error that says why it cannot be used.</summary>
    public const string Cuda = "cuda";

    /// <summary>Every accepted value (gpu is also read as cuda).</summary>
    public static readonly string[] Names = { Auto, Cpu, Cuda };

    /// <summary>The device BOOK_DEVICE names (auto when unset).</summary>
    /// <exception cref="ArgumentException">The variable names no device.</exception>
    public static string FromEnvironment() => Parse(Environment.GetEnvironmentVariable(BookEnvironment.Device));

    /// <summary>Parses a device value: empty or auto, cpu, cuda or gpu (any case).</summary>
    /// <exception cref="ArgumentException">The value names no device.</exception>
    public static string Parse(string? value)
    {
        string text = (value ?? "").Trim();
        if (text.Length == 0 || text.Equals(Auto, StringComparison.OrdinalIgnoreCase)) return Auto;
        if (text.Equals(Cpu, StringComparison.OrdinalIgnoreCase)) return Cpu;
        if (text.Equals(Cuda, StringComparison.OrdinalIgnoreCase) || text.Equals("gpu", StringComparison.OrdinalIgnoreCase)) return Cuda;
        const string name = BookEnvironment.Device;
        throw new ArgumentException(
            $"{name}={value} is not a device. Use {name}=auto (CUDA when available, else the CPU; also what an unset " +
            $"variable means), {name}=cpu or {name}=cuda.", nameof(value));
    }
}
