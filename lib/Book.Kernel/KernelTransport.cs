using NetMQ;
using NetMQ.Sockets;

namespace Book.Kernel;

/// <summary>
/// Owns the five ZeroMQ sockets on one thread, because NetMQ sockets are not thread-safe.
/// Other threads hand messages to <see cref="Send"/>, which queues them to that thread;
/// received messages are decoded, verified and checked against replays there, and passed to the callback.
/// </summary>
public sealed class KernelTransport : IDisposable
{
    private static readonly TimeSpan Linger = TimeSpan.FromSeconds(1);

    private readonly ConnectionInfo _connection;
    private readonly MessageSigner _signer;
    private readonly ReplayGuard _replays = new();
    private readonly Action<KernelChannel, JupyterMessage> _onReceived;
    private readonly NetMQQueue<Outgoing> _outbox = new();
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _bound = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Thread? _thread;

    /// <param name="onReceived">Called on the socket thread: hand the message off, never block.</param>
    public KernelTransport(ConnectionInfo connection, Action<KernelChannel, JupyterMessage> onReceived)
    {
        _connection = connection;
        _signer = new MessageSigner(connection.Key);
        _onReceived = onReceived;
    }

    /// <summary>Completes when the socket thread has finished, after its last queued message went out.</summary>
    public Task Stopped => _stopped.Task;

    /// <summary>Binds every socket and starts the socket thread; returns once binding succeeded.</summary>
    public Task StartAsync()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "jupyter-sockets" };
        _thread.Start();
        return _bound.Task;
    }

    /// <summary>Queues a message for its socket. Safe from any thread; messages go out in the order queued.</summary>
    public void Send(KernelChannel channel, JupyterMessage message) => _outbox.Enqueue(new Outgoing(channel, message));

    /// <summary>Stops the socket thread after everything queued so far has been sent.</summary>
    public void StopAfterPendingSends() => _outbox.Enqueue(Outgoing.StopMarker);

    private void Run()
    {
        var shell = new RouterSocket();
        var control = new RouterSocket();
        var stdin = new RouterSocket();
        var iopub = new PublisherSocket();
        var heartbeat = new ResponseSocket();
        try
        {
            Bind(shell, _connection.ShellPort);
            Bind(control, _connection.ControlPort);
            Bind(stdin, _connection.StdinPort);
            Bind(iopub, _connection.IopubPort);
            Bind(heartbeat, _connection.HeartbeatPort);
        }
        catch (Exception e)
        {
            foreach (var socket in new NetMQSocket[] { shell, control, stdin, iopub, heartbeat })
                socket.Dispose();
            _bound.TrySetException(e);
            _stopped.TrySetResult();
            return;
        }

        var sockets = new Dictionary<KernelChannel, NetMQSocket>
        {
            [KernelChannel.Shell] = shell,
            [KernelChannel.Control] = control,
            [KernelChannel.Stdin] = stdin,
            [KernelChannel.Iopub] = iopub,
        };
        var poller = new NetMQPoller { shell, control, stdin, heartbeat, _outbox };
        shell.ReceiveReady += (_, e) => ReceiveAll(KernelChannel.Shell, e.Socket);
        control.ReceiveReady += (_, e) => ReceiveAll(KernelChannel.Control, e.Socket);
        stdin.ReceiveReady += (_, e) => ReceiveAll(KernelChannel.Stdin, e.Socket);
        heartbeat.ReceiveReady += (_, e) => Echo(e.Socket);
        _outbox.ReceiveReady += (_, _) => SendQueued(sockets, poller);

        _bound.TrySetResult();
        try
        {
            poller.Run();
        }
        catch (Exception e)
        {
            KernelLog.Write($"socket thread failed: {e}");
        }
        finally
        {
            poller.Dispose();
            foreach (var socket in sockets.Values.Append(heartbeat))
                socket.Dispose();
            _stopped.TrySetResult();
        }
    }

    private void Bind(NetMQSocket socket, int port)
    {
        // Linger lets the last replies (shutdown_reply, the final idle status) reach the client after Dispose.
        socket.Options.Linger = Linger;
        // No send limit: at its high-water mark (1000 messages by default) a PUB socket silently drops messages,
        // and a dropped idle leaves a frontend busy forever. Streams are batched, so what waits here for a slow
        // client is about the size of the output itself.
        socket.Options.SendHighWatermark = 0;
        socket.Bind(_connection.Endpoint(port));
    }

    private void ReceiveAll(KernelChannel channel, NetMQSocket socket)
    {
        var frames = new List<byte[]>();
        while (socket.TryReceiveMultipartBytes(ref frames))
        {
            var decoded = WireFormat.Decode(frames, _signer);
            var where = channel.ToString().ToLowerInvariant();
            if (decoded.Message is not { } message)
            {
                KernelLog.Write($"dropped a message on {where}: {decoded.RejectionReason}");
            }
            else if (_signer.IsEnabled && !_replays.IsNew(decoded.Signature))
            {
                // Unsigned connections have nothing to recognise a replay by (and no authentication to protect).
                KernelLog.Write($"dropped a message on {where}: replayed signature ({message.MessageType} {message.MessageId}); "
                    + "a signed message is served once.");
            }
            else
            {
                try
                {
                    _onReceived(channel, message);
                }
                catch (Exception e)
                {
                    KernelLog.Write($"handing off a {channel} message failed: {e}");
                }
            }
            frames = new List<byte[]>();
        }
    }

    private static void Echo(NetMQSocket heartbeat)
    {
        var frames = new List<byte[]>();
        while (heartbeat.TryReceiveMultipartBytes(ref frames))
        {
            heartbeat.SendMultipartBytes(frames);
            frames = new List<byte[]>();
        }
    }

    private void SendQueued(Dictionary<KernelChannel, NetMQSocket> sockets, NetMQPoller poller)
    {
        while (_outbox.TryDequeue(out var outgoing, TimeSpan.Zero))
        {
            if (outgoing.IsStopMarker)
            {
                poller.Stop();
                return;
            }
            try
            {
                sockets[outgoing.Channel].SendMultipartBytes(WireFormat.Encode(outgoing.Message!, _signer));
            }
            catch (Exception e)
            {
                KernelLog.Write($"sending {outgoing.Message!.MessageType} on {outgoing.Channel} failed: {e.Message}");
            }
        }
    }

    public void Dispose()
    {
        if (_thread is { IsAlive: true })
        {
            StopAfterPendingSends();
            _thread.Join(TimeSpan.FromSeconds(5));
        }
        _outbox.Dispose();
        // Closed sockets still hold their last messages; a blocking cleanup waits (up to Linger) until
        // they are on the wire, so the process can exit right after. Bounded, in case a socket leaked.
        Task.Run(() => NetMQConfig.Cleanup(block: true)).Wait(Linger + TimeSpan.FromSeconds(1));
    }

    private sealed record Outgoing(KernelChannel Channel, JupyterMessage? Message)
    {
        public static readonly Outgoing StopMarker = new(KernelChannel.Iopub, null);

        public bool IsStopMarker => Message is null;
    }
}
