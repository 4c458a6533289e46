using System.CommandLine;
using Book.Cli;

var root = new RootCommand("The transformers book: run chapters headlessly, serve them to Jupyter, check and render the site.");
// Each subcommand lives in its own file; add new ones here.
root.Subcommands.Add(RunCommand.Create());
root.Subcommands.Add(RunCommand.CreateRunOne());
root.Subcommands.Add(ExportCommand.Create());
root.Subcommands.Add(LedgerCommand.Create());
root.Subcommands.Add(BundleCommand.Create());
root.Subcommands.Add(KernelCommand.Create());
root.Subcommands.Add(SiteCommands.CreateRender());
root.Subcommands.Add(SiteCommands.CreateCheck());
root.Subcommands.Add(SiteCommands.CreateServe());
root.Subcommands.Add(ServeModelCommand.Create());
return await root.Parse(args).InvokeAsync();
