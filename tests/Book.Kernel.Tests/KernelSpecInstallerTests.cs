using System.Text.Json;
using Book.Kernel;

namespace Book.Kernel.Tests;

public class KernelSpecInstallerTests
{
    [Fact]
    public void Install_writes_kernel_json_that_starts_the_given_executable()
    {
        var root = Directory.CreateTempSubdirectory("kernelspec-");
        try
        {
            var kernels = KernelSpecInstaller.JupyterPathKernelsDirectory(root.FullName);
            var specDirectory = KernelSpecInstaller.Install(kernels, ["/usr/bin/dotnet", "/opt/book/book.dll"]);

            Assert.Equal(Path.Combine(root.FullName, "kernels", "csharp-book"), specDirectory);
            using var spec = JsonDocument.Parse(File.ReadAllText(Path.Combine(specDirectory, "kernel.json")));
            string[] expected = ["/usr/bin/dotnet", "/opt/book/book.dll", "kernel", "start", "--connection-file", "{connection_file}"];
            Assert.Equal(expected, spec.RootElement.GetProperty("argv").EnumerateArray().Select(a => a.GetString()!).ToArray());
            Assert.Equal("C# (Transformers book)", spec.RootElement.GetProperty("display_name").GetString());
            Assert.Equal("C#", spec.RootElement.GetProperty("language").GetString());
            Assert.Equal("message", spec.RootElement.GetProperty("interrupt_mode").GetString());
            Assert.True(File.Exists(Path.Combine(specDirectory, "logo-svg.svg")));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public void Prefix_installs_go_under_share_jupyter_kernels()
    {
        Assert.Equal(Path.Combine("/venv", "share", "jupyter", "kernels"), KernelSpecInstaller.PrefixKernelsDirectory("/venv"));
    }

    [Fact]
    public void Under_the_dotnet_host_the_command_names_the_entry_assembly_too()
    {
        var command = KernelSpecInstaller.CurrentExecutable();

        Assert.Equal(Environment.ProcessPath, command[0]);
        if (Path.GetFileNameWithoutExtension(command[0]) == "dotnet")
            Assert.EndsWith(".dll", command[1]);
    }
}
