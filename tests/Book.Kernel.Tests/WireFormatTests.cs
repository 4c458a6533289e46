using System.Text;
using System.Text.Json.Nodes;
using Book.Kernel;

namespace Book.Kernel.Tests;

public class WireFormatTests
{
    static readonly MessageSigner Signer = new("a0b1c2");

    static List<byte[]> Frames(string signature, params string[] parts) =>
        [Encoding.UTF8.GetBytes("client-identity"), WireFormat.Delimiter, Encoding.ASCII.GetBytes(signature), .. parts.Select(Encoding.UTF8.GetBytes)];

    static List<byte[]> SignedRequest(string content = """{"code":"1+1","silent":false}""")
    {
        string header = """{"msg_id":"m1","session":"s1","username":"u","date":"2024-01-01T00:00:00.000000Z","msg_type":"execute_request","version":"5.3"}""";
        var signature = Signer.Sign(Encoding.UTF8.GetBytes(header), "{}"u8, "{}"u8, Encoding.UTF8.GetBytes(content));
        return Frames(signature, header, "{}", "{}", content);
    }

    [Fact]
    public void Decode_splits_identities_and_the_four_json_parts()
    {
        var message = WireFormat.Decode(SignedRequest(), Signer).Message;

        Assert.NotNull(message);
        Assert.Equal("client-identity", Encoding.UTF8.GetString(Assert.Single(message.Identities)));
        Assert.Equal("execute_request", message.MessageType);
        Assert.Equal("m1", message.MessageId);
        Assert.Equal("1+1", message.Content["code"]!.GetValue<string>());
        Assert.Empty(message.ParentHeader);
        Assert.Empty(message.Buffers);
    }

    [Fact]
    public void Decode_returns_the_signature_the_replay_guard_remembers()
    {
        var frames = SignedRequest();

        var decoded = WireFormat.Decode(frames, Signer);

        Assert.NotNull(decoded.Message);
        Assert.Equal(Encoding.ASCII.GetString(frames[2]), decoded.Signature);
        Assert.Equal(64, decoded.Signature.Length);
    }

    [Fact]
    public void Decode_keeps_frames_after_content_as_buffers()
    {
        var frames = SignedRequest();
        frames.Add([1, 2, 3]);

        var message = WireFormat.Decode(frames, Signer).Message!;

        Assert.Equal([1, 2, 3], Assert.Single(message.Buffers));
    }

    [Fact]
    public void Decode_accepts_several_routing_identities()
    {
        var frames = SignedRequest();
        frames.Insert(0, "proxy"u8.ToArray());

        Assert.Equal(2, WireFormat.Decode(frames, Signer).Message!.Identities.Count);
    }

    [Fact]
    public void Decode_drops_a_message_with_a_bad_signature()
    {
        var frames = SignedRequest();
        frames[2] = Encoding.ASCII.GetBytes(new MessageSigner("wrong key").Sign(frames[3], frames[4], frames[5], frames[6]));

        var result = WireFormat.Decode(frames, Signer);

        Assert.Null(result.Message);
        Assert.Equal("bad signature", result.RejectionReason);
    }

    [Fact]
    public void The_signature_covers_the_bytes_as_received_not_a_reserialisation()
    {
        // Same JSON value, different bytes: the signature made for the first must not verify the second.
        var frames = SignedRequest("""{"code":"1+1","silent":false}""");
        frames[6] = Encoding.UTF8.GetBytes("""{"silent":false,"code":"1+1"}""");

        Assert.Equal("bad signature", WireFormat.Decode(frames, Signer).RejectionReason);
    }

    [Fact]
    public void Decode_rejects_frames_without_a_delimiter_or_with_too_few_parts()
    {
        Assert.Contains("delimiter", WireFormat.Decode([Encoding.UTF8.GetBytes("{}")], Signer).RejectionReason);
        var truncated = SignedRequest().Take(5).ToList();
        Assert.Contains("frames", WireFormat.Decode(truncated, Signer).RejectionReason);
    }

    [Fact]
    public void Decode_rejects_malformed_json_even_when_signed()
    {
        var content = "not json";
        var header = "{}";
        var signature = Signer.Sign(Encoding.UTF8.GetBytes(header), "{}"u8, "{}"u8, Encoding.UTF8.GetBytes(content));

        var result = WireFormat.Decode(Frames(signature, header, "{}", "{}", content), Signer);

        Assert.Null(result.Message);
        Assert.StartsWith("malformed JSON", result.RejectionReason);
    }

    [Fact]
    public void Encode_then_decode_round_trips_with_a_valid_signature()
    {
        var request = WireFormat.Decode(SignedRequest(), Signer).Message!;
        var factory = new MessageFactory("kernel-session");
        var reply = factory.Reply(request, "execute_reply", new JsonObject { ["status"] = "ok", ["text"] = "ünïcödé ✓" });

        var frames = WireFormat.Encode(reply, Signer);

        Assert.Equal("client-identity", Encoding.UTF8.GetString(frames[0]));
        Assert.Equal(WireFormat.Delimiter, frames[1]);
        Assert.Equal(Signer.Sign(frames[3], frames[4], frames[5], frames[6]), Encoding.ASCII.GetString(frames[2]));
        var decoded = WireFormat.Decode(frames, Signer).Message!;
        Assert.Equal("execute_reply", decoded.MessageType);
        Assert.Equal("kernel-session", decoded.Header["session"]!.GetValue<string>());
        Assert.Equal("5.3", decoded.Header["version"]!.GetValue<string>());
        Assert.Equal("m1", decoded.ParentHeader["msg_id"]!.GetValue<string>());
        Assert.Equal("ünïcödé ✓", decoded.Content["text"]!.GetValue<string>());
    }

    [Fact]
    public void Broadcasts_carry_a_topic_instead_of_a_routing_identity()
    {
        var status = new MessageFactory("s").Broadcast(null, "status", new JsonObject { ["execution_state"] = "idle" });

        var frames = WireFormat.Encode(status, Signer);

        Assert.Equal("kernel.s.status", Encoding.UTF8.GetString(frames[0]));
        Assert.Equal(WireFormat.Delimiter, frames[1]);
        Assert.Equal("{}", Encoding.UTF8.GetString(frames[4]));
    }
}
