using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Book.Engine.Execution;

namespace Book.Kernel;

/// <summary>
/// The kernel process: binds the sockets, serves shell requests one at a time (cells run in order) and control
/// requests beside them (so an interrupt or shutdown gets through while a cell runs), and stops on shutdown_request,
/// SIGTERM, or when the Jupyter process that started it dies.
/// </summary>
public sealed class JupyterKernel
{
    private readonly ConnectionInfo _connection;
    private readonly SessionOptions _sessionOptions;
    private readonly Channel<JupyterMessage> _shellRequests = Channel.CreateUnbounded<JupyterMessage>(new() { SingleReader = true });
    private readonly Channel<JupyterMessage> _controlRequests = Channel.CreateUnbounded<JupyterMessage>(new() { SingleReader = true });
    private readonly TaskCompletionSource<string> _stopReason = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ExecuteRequestHandler? _execute;
    private Task<NotebookSession>? _session;

    public JupyterKernel(ConnectionInfo connection, SessionOptions sessionOptions)
    {
        _connection = connection;
        _sessionOptions = sessionOptions;
    }

    /// <summary>Options for a kernel Jupyter started: it starts kernels in the notebook's folder.</summary>
    public static SessionOptions SessionOptionsForCurrentDirectory()
    {
        var directory = Environment.CurrentDirectory;
        return new SessionOptions(directory, NotebookName(directory));
    }

    /// <summary>
    /// Names cells in messages. Jupyter Server tells the kernel its notebook in JPY_SESSION_NAME;
    /// other frontends don't, and then the folder the notebook lives in is the best name there is.
    /// </summary>
    public static string NotebookName(string workingDirectory)
    {
        var session = Environment.GetEnvironmentVariable("JPY_SESSION_NAME");
        if (!string.IsNullOrWhiteSpace(session))
            return Path.GetFileName(session.TrimEnd('/', '\\')) is { Length: > 0 } file ? file : session;
        var folder = Path.GetFileName(Path.TrimEndingDirectorySeparator(workingDirectory));
        return string.IsNullOrEmpty(folder) ? "notebook" : folder;
    }

    /// <summary>Serves until shut down; returns the process exit code.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        // First of all: from here on a SIGINT must interrupt, not kill.
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnInterruptSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnTerminateSignal);
        // The session (Roslyn) loads in the background: kernel_info must not wait for it.
        _session = Task.Run(() => new NotebookSession(_sessionOptions));
        var transport = new KernelTransport(_connection, Receive);
        var sender = new MessageSender(transport, new MessageFactory(Guid.NewGuid().ToString("N")));
        _execute = new ExecuteRequestHandler(_session, sender, _sessionOptions);
        try
        {
            await transport.StartAsync();
        }
        catch (Exception e)
        {
            KernelLog.Write($"cannot bind the kernel's sockets on {_connection.Ip}: {e.Message}");
            transport.Dispose();
            return 1;
        }

        // Without its socket thread the kernel is deaf; better to end than to hang.
        _ = transport.Stopped.ContinueWith(_ => Stop("the socket thread ended"), TaskScheduler.Default);
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var onCancel = cancellationToken.Register(() => Stop("cancelled"));
        var shell = Task.Run(() => ServeShellAsync(sender, stopping.Token));
        var control = Task.Run(() => ServeControlAsync(sender, stopping.Token));
        if (ParentProcessWatcher.ParentFromEnvironment() is int parent)
            _ = WatchParentAsync(parent, stopping.Token);

        sender.Status(null, "starting");
        var reason = await _stopReason.Task;
        KernelLog.Write($"stopping: {reason}");
        stopping.Cancel();
        await Task.WhenAny(Task.WhenAll(shell, control), Task.Delay(TimeSpan.FromSeconds(1)));
        transport.Dispose();
        await DisposeSessionAsync();
        return 0;
    }

    /// <summary>Asks the kernel to stop, from any thread.</summary>
    public void Stop(string reason) => _stopReason.TrySetResult(reason);

    private void Receive(KernelChannel channel, JupyterMessage message)
    {
        switch (channel)
        {
            case KernelChannel.Shell:
                _shellRequests.Writer.TryWrite(message);
                break;
            case KernelChannel.Control:
                _controlRequests.Writer.TryWrite(message);
                break;
            default:
                KernelLog.Write($"ignored {message.MessageType} on {channel}: this kernel never asks for input.");
                break;
        }
    }

    private async Task ServeShellAsync(MessageSender sender, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var request in _shellRequests.Reader.ReadAllAsync(cancellationToken))
            {
                var reply = await HandleAsync(KernelChannel.Shell, request, sender);
                var failed = request.MessageType == "execute_request" && reply?["status"]?.GetValue<string>() == "error";
                if (failed && request.ContentFlag("stop_on_error", true))
                    await AbortQueuedExecutionsAsync(sender);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task ServeControlAsync(MessageSender sender, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var request in _controlRequests.Reader.ReadAllAsync(cancellationToken))
                await HandleAsync(KernelChannel.Control, request, sender);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// After a failed cell, cells the client had already queued would run on a state it did not expect;
    /// like IPython, answer them "aborted" (stop_on_error). Other requests are served normally.
    /// </summary>
    private async Task AbortQueuedExecutionsAsync(MessageSender sender)
    {
        while (_shellRequests.Reader.TryRead(out var request))
        {
            if (request.MessageType != "execute_request")
            {
                await HandleAsync(KernelChannel.Shell, request, sender);
                continue;
            }
            sender.Status(request, "busy");
            sender.Reply(KernelChannel.Shell, request, "execute_reply", new JsonObject { ["status"] = "aborted" });
            sender.Status(request, "idle");
        }
    }

    /// <summary>Serves one request between a busy and an idle status (clients wait for that idle).</summary>
    private async Task<JsonObject?> HandleAsync(KernelChannel channel, JupyterMessage request, MessageSender sender)
    {
        sender.Status(request, "busy");
        var stopAfterwards = false;
        JsonObject? reply = null;
        try
        {
            reply = request.MessageType switch
            {
                "execute_request" when channel == KernelChannel.Shell => await _execute!.ExecuteAsync(request),
                "kernel_info_request" => KernelInfoReply.Content(),
                "is_complete_request" => IsComplete(request.Content),
                "complete_request" => await CompleteAsync(request.Content),
                "inspect_request" => new JsonObject { ["status"] = "ok", ["found"] = false, ["data"] = new JsonObject(), ["metadata"] = new JsonObject() },
                "history_request" => new JsonObject { ["status"] = "ok", ["history"] = new JsonArray() },
                "comm_info_request" => new JsonObject { ["status"] = "ok", ["comms"] = new JsonObject() },
                "interrupt_request" => Interrupt(),
                "shutdown_request" => new JsonObject { ["status"] = "ok", ["restart"] = request.ContentFlag("restart", false) },
                _ => null,
            };
        }
        catch (Exception e)
        {
            KernelLog.Write($"{request.MessageType} failed: {e}");
            reply = new JsonObject
            {
                ["status"] = "error",
                ["ename"] = e.GetType().Name,
                ["evalue"] = e.Message,
                ["traceback"] = new JsonArray($"{e.GetType().Name}: {e.Message}"),
            };
        }

        if (reply is not null && request.MessageType.EndsWith("_request", StringComparison.Ordinal))
        {
            var replyType = request.MessageType[..^"_request".Length] + "_reply";
            sender.Reply(channel, request, replyType, reply);
            if (request.MessageType == "shutdown_request")
            {
                // Older clients listen for shutdown_reply on iopub.
                sender.Publish(request, replyType, (JsonObject)reply.DeepClone());
                stopAfterwards = true;
            }
        }
        else if (reply is null)
        {
            KernelLog.Write($"ignored unsupported {request.MessageType} on {channel.ToString().ToLowerInvariant()}.");
        }
        sender.Status(request, "idle");
        if (stopAfterwards)
            Stop("shutdown_request");
        return reply;
    }

    private JsonObject Interrupt()
    {
        _execute?.Interrupt();
        return new JsonObject { ["status"] = "ok" };
    }

    private static JsonObject IsComplete(JsonObject content)
    {
        var code = content["code"]?.GetValue<string>() ?? "";
        var reply = new JsonObject
        {
            ["status"] = NotebookSession.CheckCompleteness(code) switch
            {
                CodeCompleteness.Complete => "complete",
                CodeCompleteness.Incomplete => "incomplete",
                CodeCompleteness.Invalid => "invalid",
                _ => "unknown",
            },
        };
        if (reply["status"]!.GetValue<string>() == "incomplete")
            reply["indent"] = "";
        return reply;
    }

    private async Task<JsonObject> CompleteAsync(JsonObject content)
    {
        var code = content["code"]?.GetValue<string>() ?? "";
        var cursor = content["cursor_pos"] is JsonValue value && value.TryGetValue<int>(out var position)
            ? CursorOffsets.CodePointsToUtf16(code, position)
            : code.Length;
        var completions = await (await _session!).CompleteAsync(code, cursor);
        return new JsonObject
        {
            ["status"] = "ok",
            ["matches"] = new JsonArray(completions.Matches.Select(match => (JsonNode?)JsonValue.Create(match)).ToArray()),
            ["cursor_start"] = CursorOffsets.Utf16ToCodePoints(code, completions.CursorStart),
            ["cursor_end"] = CursorOffsets.Utf16ToCodePoints(code, completions.CursorEnd),
            ["metadata"] = new JsonObject(),
        };
    }

    /// <summary>SIGINT is an interrupt, never a reason to die: jupyter_client sends it before every shutdown too.</summary>
    private void OnInterruptSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        _execute?.Interrupt();
    }

    private void OnTerminateSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        Stop("SIGTERM");
    }

    private async Task WatchParentAsync(int parent, CancellationToken cancellationToken)
    {
        try
        {
            await ParentProcessWatcher.WaitForExitAsync(parent, cancellationToken);
            Stop($"the parent process {parent} (JPY_PARENT_PID) has exited");
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task DisposeSessionAsync()
    {
        if (_session is null)
            return;
        // A cell that ignored its interrupt may hold the session; never let that keep a stopping kernel alive.
        var disposal = _session.ContinueWith(t =>
        {
            if (t.IsCompletedSuccessfully)
                t.Result.Dispose();
        }, TaskScheduler.Default);
        await Task.WhenAny(disposal, Task.Delay(TimeSpan.FromSeconds(2)));
    }
}
