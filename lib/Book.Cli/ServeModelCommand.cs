using System.CommandLine;
using System.Diagnostics;
using Book.Native;

namespace Book.Cli;

/// <summary>
/// <c>book serve-model --model F</c>: starts the book's GPT service (tools/BookServer, built into
/// artifacts/book-server/) in the foreground on http://127.0.0.1:PORT; Ctrl+C shuts it down gracefully.
/// </summary>
public static class ServeModelCommand
{
    const string ServerProgram = "artifacts/book-server/BookServer.dll";

    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "A model folder written by GptFolder.Save (config.json, model.safetensors, tokenizer.json)", Required = true };
        var port = new Option<int>("--port") { Description = "Port on 127.0.0.1 (0: a free one)", DefaultValueFactory = _ => 8080 };
        var maxBatch = new Option<int>("--max-batch") { Description = "Sequences decoded together", DefaultValueFactory = _ => 8 };
        var queue = new Option<int>("--queue") { Description = "Requests that may wait; beyond it 429", DefaultValueFactory = _ => 32 };
        var policy = new Option<string>("--policy") { Description = "continuous or static batching", DefaultValueFactory = _ => "continuous" };
        var threads = new Option<int>("--threads") { Description = "libtorch threads in the server", DefaultValueFactory = _ => 1 };
        var command = new Command("serve-model", "Serve the book's GPT over HTTP (POST /generate streams server-sent events)");
        foreach (var option in new Option[] { model, port, maxBatch, queue, policy, threads }) command.Options.Add(option);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var root = BookRoot.FindFrom(Environment.CurrentDirectory) ?? BookRoot.FindFrom(AppContext.BaseDirectory);
            var program = root is null ? ServerProgram : Path.Combine(root, ServerProgram);
            if (!File.Exists(program))
            {
                Console.Error.WriteLine($"The server is not built: {program} (run dotnet build at the book's root).");
                return 1;
            }
            var start = new ProcessStartInfo("dotnet") { UseShellExecute = false };
            start.ArgumentList.Add(program);
            void Add(string name, string value) { start.ArgumentList.Add(name); start.ArgumentList.Add(value); }
            Add("--model", Path.GetFullPath(parseResult.GetValue(model)!));
            Add("--port", parseResult.GetValue(port).ToString(System.Globalization.CultureInfo.InvariantCulture));
            Add("--max-batch", parseResult.GetValue(maxBatch).ToString(System.Globalization.CultureInfo.InvariantCulture));
            Add("--queue", parseResult.GetValue(queue).ToString(System.Globalization.CultureInfo.InvariantCulture));
            Add("--policy", parseResult.GetValue(policy)!);
            Add("--threads", parseResult.GetValue(threads).ToString(System.Globalization.CultureInfo.InvariantCulture));
            using var server = Process.Start(start)!;
            // Ctrl+C reaches the server too (same console): it stops accepting and finishes the accepted requests.
            await server.WaitForExitAsync(CancellationToken.None);
            return server.ExitCode;
        });
        return command;
    }
}
