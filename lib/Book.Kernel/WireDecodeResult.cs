namespace Book.Kernel;

/// <summary>A decoded message, or why the frames were dropped.</summary>
public sealed record WireDecodeResult(JupyterMessage? Message, string? RejectionReason)
{
    public static WireDecodeResult Accepted(JupyterMessage message) => new(message, null);

    public static WireDecodeResult Rejected(string reason) => new(null, reason);
}
