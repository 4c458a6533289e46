namespace TransformersBook.Runtime;

/// <summary>What BOOK_DEVICE asks for.</summary>
public enum DeviceRequest
{
    /// <summary>CUDA when it is available, else the CPU (the default).</summary>
    Auto,

    /// <summary>The CPU, even where a GPU is present.</summary>
    Cpu,

    /// <summary>CUDA or an error that says why it is unavailable.</summary>
    Cuda,
}
