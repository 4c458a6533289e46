using System.Text.Json;

namespace Book.Kernel;

/// <summary>
/// The connection file Jupyter writes before starting a kernel: where to bind and how to sign.
/// </summary>
public sealed record ConnectionInfo(
    string Transport,
    string Ip,
    int ShellPort,
    int IopubPort,
    int StdinPort,
    int ControlPort,
    int HeartbeatPort,
    string Key,
    string SignatureScheme)
{
    public const string HmacSha256 = "hmac-sha256";

    public static ConnectionInfo Load(string path) => Parse(File.ReadAllText(path));

    public static ConnectionInfo Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            throw new FormatException("A connection file must hold a JSON object.");

        var info = new ConnectionInfo(
            Transport: OptionalString(root, "transport") ?? "tcp",
            Ip: OptionalString(root, "ip") ?? "127.0.0.1",
            ShellPort: RequiredPort(root, "shell_port"),
            IopubPort: RequiredPort(root, "iopub_port"),
            StdinPort: RequiredPort(root, "stdin_port"),
            ControlPort: RequiredPort(root, "control_port"),
            HeartbeatPort: RequiredPort(root, "hb_port"),
            Key: OptionalString(root, "key") ?? "",
            SignatureScheme: OptionalString(root, "signature_scheme") ?? HmacSha256);

        // NetMQ's ipc transport is not wire-compatible with libzmq's, so a frontend could never connect.
        if (info.Transport != "tcp")
            throw new NotSupportedException($"Transport '{info.Transport}' is not supported; only 'tcp' is.");
        if (info.Key.Length > 0 && info.SignatureScheme != HmacSha256)
            throw new NotSupportedException($"Signature scheme '{info.SignatureScheme}' is not supported; only '{HmacSha256}' is.");
        return info;
    }

    public string Endpoint(int port) => $"tcp://{Ip}:{port}";

    private static string? OptionalString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int RequiredPort(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Number
            || !value.TryGetInt32(out var port) || port is < 0 or > 65535)
            throw new FormatException($"The connection file has no valid '{name}'.");
        return port;
    }
}
