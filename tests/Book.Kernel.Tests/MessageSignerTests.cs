using System.Security.Cryptography;
using System.Text;
using Book.Kernel;

namespace Book.Kernel.Tests;

public class MessageSignerTests
{
    static readonly byte[] Header = """{"msg_id":"1","msg_type":"kernel_info_request"}"""u8.ToArray();
    static readonly byte[] Parent = "{}"u8.ToArray();
    static readonly byte[] Metadata = "{}"u8.ToArray();
    static readonly byte[] Content = """{"code":"1+1"}"""u8.ToArray();

    [Fact]
    public void Signature_is_lowercase_hex_hmac_sha256_over_the_four_frames_in_order()
    {
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes("secret-κey"), (byte[])[.. Header, .. Parent, .. Metadata, .. Content]));

        var signature = new MessageSigner("secret-κey").Sign(Header, Parent, Metadata, Content);

        Assert.Equal(expected, signature);
        Assert.Equal(64, signature.Length);
    }

    [Fact]
    public void Verify_accepts_its_own_signature()
    {
        var signer = new MessageSigner("key");
        Assert.True(signer.Verify(signer.Sign(Header, Parent, Metadata, Content), Header, Parent, Metadata, Content));
    }

    [Fact]
    public void Verify_rejects_a_signature_made_with_another_key()
    {
        var forged = new MessageSigner("other").Sign(Header, Parent, Metadata, Content);
        Assert.False(new MessageSigner("key").Verify(forged, Header, Parent, Metadata, Content));
    }

    [Fact]
    public void Verify_rejects_a_tampered_frame()
    {
        var signer = new MessageSigner("key");
        var signature = signer.Sign(Header, Parent, Metadata, Content);
        Assert.False(signer.Verify(signature, Header, Parent, Metadata, """{"code":"2+2"}"""u8.ToArray()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not hex at all")]
    [InlineData("abcd")]
    public void Verify_rejects_malformed_or_missing_signatures(string signature) =>
        Assert.False(new MessageSigner("key").Verify(signature, Header, Parent, Metadata, Content));

    [Fact]
    public void An_empty_key_means_no_signing()
    {
        var signer = new MessageSigner("");
        Assert.False(signer.IsEnabled);
        Assert.Equal("", signer.Sign(Header, Parent, Metadata, Content));
        Assert.True(signer.Verify("", Header, Parent, Metadata, Content));
    }
}
