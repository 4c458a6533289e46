using System.CommandLine;
using Book.Kernel;

namespace Book.Cli;

/// <summary>`book kernel start` (what Jupyter runs) and `book kernel install` (writes the kernelspec).</summary>
internal static class KernelCommand
{
    public static Command Create()
    {
        var kernel = new Command("kernel", "The Jupyter kernel for the book's C# notebooks.");
        kernel.Subcommands.Add(CreateStart());
        kernel.Subcommands.Add(CreateInstall());
        return kernel;
    }

    static Command CreateStart()
    {
        var connectionFile = new Option<string>("--connection-file")
        {
            Description = "The connection file Jupyter wrote (ports, key).",
            Required = true,
        };
        var start = new Command("start", "Serve one notebook over the Jupyter protocol (Jupyter starts this; see kernel.json).");
        start.Options.Add(connectionFile);
        // A synchronous action on purpose: System.CommandLine cancels async actions on SIGINT, but for a kernel
        // SIGINT means "interrupt the cell" (jupyter_client even sends it before every shutdown).
        start.SetAction(parseResult =>
        {
            var path = parseResult.GetValue(connectionFile)!;
            ConnectionInfo connection;
            try
            {
                connection = ConnectionInfo.Load(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or NotSupportedException or System.Text.Json.JsonException)
            {
                Console.Error.WriteLine($"book kernel: cannot use connection file {path}: {e.Message}");
                return 2;
            }
            var kernel = new JupyterKernel(connection, JupyterKernel.SessionOptionsForCurrentDirectory());
            var exitCode = kernel.RunAsync().GetAwaiter().GetResult();
            // A cell that ignored its interrupt may still run on a foreground thread; it must not keep the process alive.
            Environment.Exit(exitCode);
            return exitCode;
        });
        return start;
    }

    static Command CreateInstall()
    {
        var user = new Option<bool>("--user") { Description = "Install for the current user (the default)." };
        var prefix = new Option<string>("--prefix") { Description = "Install into DIR/share/jupyter/kernels, e.g. a virtual environment." };
        var path = new Option<string>("--path") { Description = "Install into DIR/kernels, for a DIR named in JUPYTER_PATH." };
        var install = new Command("install", "Write the csharp-book kernelspec so Jupyter can start this kernel.");
        install.Options.Add(user);
        install.Options.Add(prefix);
        install.Options.Add(path);
        install.SetAction(parseResult =>
        {
            var prefixDirectory = parseResult.GetValue(prefix);
            var pathDirectory = parseResult.GetValue(path);
            var chosen = (parseResult.GetValue(user) ? 1 : 0) + (prefixDirectory is null ? 0 : 1) + (pathDirectory is null ? 0 : 1);
            if (chosen > 1)
            {
                Console.Error.WriteLine("book kernel install: choose one of --user, --prefix, --path.");
                return 2;
            }
            var kernels = prefixDirectory is not null ? KernelSpecInstaller.PrefixKernelsDirectory(prefixDirectory)
                : pathDirectory is not null ? KernelSpecInstaller.JupyterPathKernelsDirectory(pathDirectory)
                : KernelSpecInstaller.UserKernelsDirectory();
            var specDirectory = KernelSpecInstaller.Install(kernels);
            Console.WriteLine($"Installed kernelspec {KernelSpecInstaller.KernelName} in {specDirectory}");
            return 0;
        });
        return install;
    }
}
