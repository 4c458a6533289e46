namespace Book.Kernel;

/// <summary>A decoded message and the signature it carried (empty when unsigned), or why the frames were dropped.</summary>
public sealed record WireDecodeResult(JupyterMessage? Message, string? RejectionReason, string Signature = "")
{
    public static WireDecodeResult Accepted(JupyterMessage message, string signature) => new(message, null, signature);

    public static WireDecodeResult Rejected(string reason) => new(null, reason);
}
