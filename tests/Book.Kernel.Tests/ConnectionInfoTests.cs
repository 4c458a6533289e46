using Book.Kernel;

namespace Book.Kernel.Tests;

public class ConnectionInfoTests
{
    const string Written = """
        {
          "shell_port": 53794,
          "iopub_port": 53795,
          "stdin_port": 53796,
          "control_port": 53797,
          "hb_port": 53798,
          "ip": "127.0.0.1",
          "key": "c5a1f9e0-27a8b6d4c3e2f1a0",
          "transport": "tcp",
          "signature_scheme": "hmac-sha256",
          "kernel_name": "csharp-book"
        }
        """;

    [Fact]
    public void Parses_a_connection_file_as_jupyter_client_writes_it()
    {
        var info = ConnectionInfo.Parse(Written);

        Assert.Equal(new ConnectionInfo("tcp", "127.0.0.1", 53794, 53795, 53796, 53797, 53798, "c5a1f9e0-27a8b6d4c3e2f1a0", "hmac-sha256"), info);
        Assert.Equal("tcp://127.0.0.1:53797", info.Endpoint(info.ControlPort));
    }

    [Fact]
    public void Loads_from_a_file()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, Written);
            Assert.Equal(53798, ConnectionInfo.Load(path).HeartbeatPort);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Missing_optional_fields_take_jupyters_defaults()
    {
        var info = ConnectionInfo.Parse("""{"shell_port":1,"iopub_port":2,"stdin_port":3,"control_port":4,"hb_port":5}""");

        Assert.Equal(("tcp", "127.0.0.1", "", "hmac-sha256"), (info.Transport, info.Ip, info.Key, info.SignatureScheme));
    }

    [Fact]
    public void Rejects_the_ipc_transport_which_NetMQ_cannot_share_with_libzmq()
    {
        var e = Assert.Throws<NotSupportedException>(() => ConnectionInfo.Parse(Written.Replace("\"tcp\"", "\"ipc\"")));
        Assert.Contains("ipc", e.Message);
    }

    [Fact]
    public void Rejects_other_signature_schemes()
    {
        Assert.Throws<NotSupportedException>(() => ConnectionInfo.Parse(Written.Replace("hmac-sha256", "hmac-md5")));
    }

    [Theory]
    [InlineData("""{"iopub_port":2,"stdin_port":3,"control_port":4,"hb_port":5}""")]
    [InlineData("""{"shell_port":"1","iopub_port":2,"stdin_port":3,"control_port":4,"hb_port":5}""")]
    [InlineData("""{"shell_port":70000,"iopub_port":2,"stdin_port":3,"control_port":4,"hb_port":5}""")]
    [InlineData("[]")]
    public void Rejects_missing_or_invalid_ports(string json)
    {
        Assert.Throws<FormatException>(() => ConnectionInfo.Parse(json));
    }
}
