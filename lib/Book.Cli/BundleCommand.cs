using System.CommandLine;
using Book.Engine.Packages;

namespace Book.Cli;

/// <summary><c>book bundle</c>: the NuGet packages notebooks name, in one folder, for an offline machine.</summary>
internal static class BundleCommand
{
    public static Command Create()
    {
        var notebooks = new Argument<string[]>("notebooks") { Description = "Notebooks whose #r \"nuget:\" packages to bundle.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out") { Description = "Folder to write.", Required = true };
        var withoutLibTorch = new Option<bool>("--without-libtorch") { Description = "Leave out libtorch (the target uses a PyTorch install through BOOK_LIBTORCH)." };
        var command = new Command("bundle", "Copy the packages and resolutions notebooks need into one folder, for a machine without registry or SDK.")
        {
            notebooks, output, withoutLibTorch,
        };
        command.SetAction(result =>
        {
            string folder = Path.GetFullPath(result.GetValue(output)!);
            var summary = PackageBundle.Create(result.GetValue(notebooks)!, folder, result.GetValue(withoutLibTorch), TimeSpan.FromMinutes(10));
            Console.WriteLine($"{summary.Packages} packages ({summary.Bytes / 1e6:0.0} MB) and {summary.Resolutions} resolutions in {folder}");
            Console.WriteLine($"On the target: BOOK_CACHE={folder}/cache NUGET_PACKAGES={folder}/nuget" +
                              (result.GetValue(withoutLibTorch) ? " BOOK_LIBTORCH=<folder with libtorch_cpu.so, e.g. torch/lib of a PyTorch install>" : ""));
            return 0;
        });
        return command;
    }
}
