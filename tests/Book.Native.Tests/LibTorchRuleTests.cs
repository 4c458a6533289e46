using Xunit;

namespace Book.Native.Tests;

/// <summary>
/// The one rule both the notebook engine and a chapter's setup apply to choose libtorch. Each case is a machine
/// a reader may have; PyTorch installs are folders with the files the rule looks at.
/// </summary>
public sealed class LibTorchRuleTests : IDisposable
{
    const string Expected = "2.10.0.0";
    readonly string root = Directory.CreateTempSubdirectory("libtorch-rule-").FullName;
    readonly LibTorchLocation packaged;
    int pythonCalls;

    public LibTorchRuleTests()
    {
        packaged = new LibTorchLocation("/nuget/torchsharp/libLibTorchSharp.so", Folder("package", cuda: false), "restored packages");
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    string Folder(string name, bool cuda)
    {
        string folder = Path.Combine(root, name);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "libtorch_cpu.so"), "");
        if (cuda) File.WriteAllText(Path.Combine(folder, "libtorch_cuda.so"), "");
        return folder;
    }

    PyTorchInstall PyTorch(string version, bool cuda)
    {
        string package = Path.Combine(root, "torch-" + version);
        Directory.CreateDirectory(package);
        Folder(Path.Combine("torch-" + version, "lib"), cuda);
        return new PyTorchInstall(package, version, cuda ? "12.8" : null);
    }

    LibTorchChoice Choose(LibTorchLocation? start, bool cudaWanted, string? driver, PyTorchInstall? install) =>
        LibTorchRule.Choose(start, cudaWanted, driver, Expected, () =>
        {
            pythonCalls++;
            return (install, install is null ? "python3 has no PyTorch" : "");
        });

    [Fact]
    public void A_cuda_pytorch_of_the_expected_version_supplies_libtorch()
    {
        var install = PyTorch("2.10.1+cu128", cuda: true);
        var choice = Choose(packaged, cudaWanted: true, "/dev/nvidia0", install);
        Assert.Equal(install.LibDirectory, choice.Location!.LibTorchDirectory);
        Assert.Equal(packaged.LibTorchSharp, choice.Location.LibTorchSharp);
        Assert.Equal("PyTorch 2.10.1+cu128", choice.Location.Source);
    }

    [Fact]
    public void A_pytorch_of_another_minor_version_is_never_picked_automatically()
    {
        var install = PyTorch("2.11.0+cu128", cuda: true);
        var choice = Choose(packaged, cudaWanted: true, "/dev/nvidia0", install);
        Assert.Same(packaged, choice.Location);
        Assert.Same(install, choice.PyTorch);
        Assert.False(LibTorchRule.CanSupply(install, Expected));
    }

    [Fact]
    public void Without_pytorch_or_with_a_cpu_only_build_the_package_stays()
    {
        var none = Choose(packaged, cudaWanted: true, "/dev/nvidia0", install: null);
        Assert.Same(packaged, none.Location);
        Assert.Equal("python3 has no PyTorch", none.PyTorchProblem);
        Assert.Same(packaged, Choose(packaged, cudaWanted: true, "/dev/nvidia0", PyTorch("2.10.0+cpu", cuda: false)).Location);
    }

    [Fact]
    public void Python_is_not_asked_when_cuda_is_not_wanted_or_impossible()
    {
        var install = PyTorch("2.10.0+cu128", cuda: true);
        Assert.Same(packaged, Choose(packaged, cudaWanted: false, "/dev/nvidia0", install).Location);   // BOOK_DEVICE=cpu
        Assert.Same(packaged, Choose(packaged, cudaWanted: true, driver: null, install).Location);       // no NVIDIA driver
        var withCuda = packaged with { LibTorchDirectory = Folder("cuda-package", cuda: true) };
        Assert.Same(withCuda, Choose(withCuda, cudaWanted: true, "/dev/nvidia0", install).Location);    // already CUDA
        Assert.Equal(0, pythonCalls);
    }

    [Fact]
    public void An_explicit_book_libtorch_is_honoured_as_given()
    {
        var chosen = new LibTorchLocation(packaged.LibTorchSharp, Folder("mine", cuda: false), LibTorchRule.ExplicitSource);
        Assert.Same(chosen, Choose(chosen, cudaWanted: true, "/dev/nvidia0", PyTorch("2.10.0+cu128", cuda: true)).Location);
        Assert.Equal(0, pythonCalls);
    }

    [Fact]
    public void The_expected_version_is_read_from_torchsharp_without_native_code() =>
        Assert.Matches(@"^2\.\d+\.\d+", LibTorchRule.ExpectedVersion(typeof(TorchSharp.torch).Assembly));
}
