using System.Security.Cryptography;
using System.Text;

namespace Book.Kernel;

/// <summary>
/// HMAC-SHA256 over a message's four JSON frames (header, parent_header, metadata, content),
/// as lowercase hex. An empty key means the connection is unsigned and every message is accepted.
/// </summary>
public sealed class MessageSigner
{
    private readonly byte[] _key;

    public MessageSigner(string key) => _key = Encoding.UTF8.GetBytes(key);

    public bool IsEnabled => _key.Length > 0;

    public string Sign(ReadOnlySpan<byte> header, ReadOnlySpan<byte> parentHeader, ReadOnlySpan<byte> metadata, ReadOnlySpan<byte> content)
    {
        if (!IsEnabled)
            return "";
        return Convert.ToHexStringLower(Hash(header, parentHeader, metadata, content));
    }

    /// <summary>Checks a received signature against the frames exactly as they arrived on the wire.</summary>
    public bool Verify(string signature, ReadOnlySpan<byte> header, ReadOnlySpan<byte> parentHeader, ReadOnlySpan<byte> metadata, ReadOnlySpan<byte> content)
    {
        if (!IsEnabled)
            return true;
        byte[] received;
        try
        {
            received = Convert.FromHexString(signature);
        }
        catch (FormatException)
        {
            return false;
        }
        // Constant time, so the comparison leaks nothing about the expected digest.
        return CryptographicOperations.FixedTimeEquals(received, Hash(header, parentHeader, metadata, content));
    }

    private byte[] Hash(ReadOnlySpan<byte> header, ReadOnlySpan<byte> parentHeader, ReadOnlySpan<byte> metadata, ReadOnlySpan<byte> content)
    {
        // A fresh IncrementalHash per call: sink callbacks sign from many threads at once.
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
        hmac.AppendData(header);
        hmac.AppendData(parentHeader);
        hmac.AppendData(metadata);
        hmac.AppendData(content);
        return hmac.GetHashAndReset();
    }
}
