using System.Reflection;
using Book.Native;
using TorchSharp;
using TransformersBook.Display;
using TransformersBook.Runtime;

namespace TransformersBook.Tests;

public class ProfileAndDeviceParsingTests
{
    [Theory]
    [InlineData(null, ProfileName.Default)]
    [InlineData("", ProfileName.Default)]
    [InlineData("default", ProfileName.Default)]
    [InlineData("SMOKE", ProfileName.Smoke)]
    [InlineData(" smoke ", ProfileName.Smoke)]
    public void Profile_values_parse(string? value, ProfileName expected) => Assert.Equal(expected, BookProfile.Parse(value));

    [Fact]
    public void An_unknown_profile_is_a_clear_error()
    {
        var e = Assert.Throws<ArgumentException>(() => BookProfile.Parse("fast"));
        Assert.Contains("BOOK_PROFILE=fast", e.Message);
        Assert.Contains("smoke", e.Message);
    }

    [Fact]
    public void Pick_chooses_by_profile_and_device()
    {
        Assert.Equal(1, new BookProfile(ProfileName.Smoke, onGpu: true).Pick(1, 2, 3));
        Assert.Equal(2, new BookProfile(ProfileName.Default, onGpu: false).Pick(1, 2, 3));
        Assert.Equal(3, new BookProfile(ProfileName.Default, onGpu: true).Pick(1, 2, 3));
        Assert.Equal(2, new BookProfile(ProfileName.Default, onGpu: true).Pick(1, 2));
        Assert.Equal("s", new BookProfile(ProfileName.Smoke, onGpu: false).Pick("s", "d"));
    }

    [Theory]
    [InlineData(null, DeviceRequest.Auto)]
    [InlineData("auto", DeviceRequest.Auto)]
    [InlineData("CPU", DeviceRequest.Cpu)]
    [InlineData("cuda", DeviceRequest.Cuda)]
    public void Device_values_parse(string? value, DeviceRequest expected) => Assert.Equal(expected, DeviceSelection.Parse(value));

    [Fact]
    public void An_unknown_device_is_a_clear_error()
    {
        var e = Assert.Throws<ArgumentException>(() => DeviceSelection.Parse("tpu"));
        Assert.Contains("BOOK_DEVICE=tpu", e.Message);
    }
}

public class DevicePlanTests : IDisposable
{
    readonly TempFolder temp = new();
    readonly LibTorchLocation cpuLibTorch;
    readonly string pyTorchPackage;

    public DevicePlanTests()
    {
        string cpuDir = Directory.CreateDirectory(Path.Combine(temp.Path, "cpu")).FullName;
        File.WriteAllText(Path.Combine(cpuDir, "libtorch_cpu.so"), "");
        cpuLibTorch = new LibTorchLocation(Path.Combine(cpuDir, "libLibTorchSharp.so"), cpuDir, "libtorch package");
        pyTorchPackage = Directory.CreateDirectory(Path.Combine(temp.Path, "site-packages", "torch")).FullName;
        string lib = Directory.CreateDirectory(Path.Combine(pyTorchPackage, "lib")).FullName;
        File.WriteAllText(Path.Combine(lib, "libtorch_cpu.so"), "");
        File.WriteAllText(Path.Combine(lib, "libtorch_cuda.so"), "");
    }

    public void Dispose() => temp.Dispose();

    LibTorchSituation Situation(DeviceRequest request = DeviceRequest.Auto, string? driver = "/dev/nvidia0", LibTorchLocation? preinstalled = null, bool loaded = false) =>
        new(request, preinstalled, loaded, preinstalled is null ? cpuLibTorch : null, driver, "2.10.0.0");

    static Func<(PyTorchInstall?, string)> Never => () => throw new InvalidOperationException("Python must not be asked here.");

    Func<(PyTorchInstall?, string)> PyTorch(string version, string? cuda = "12.8") => () => (new PyTorchInstall(pyTorchPackage, version, cuda), "");

    [Fact]
    public void Cpu_request_keeps_the_cpu_libtorch_and_says_so()
    {
        var plan = DeviceSelection.Plan(Situation(DeviceRequest.Cpu), Never);
        Assert.Equal(CudaUnavailableReason.RequestedCpu, plan.Reason);
        Assert.Same(cpuLibTorch, plan.ToInstall);
        Assert.Contains("BOOK_DEVICE=cpu", plan.Explanation);
    }

    [Fact]
    public void Without_a_driver_python_is_never_asked()
    {
        var plan = DeviceSelection.Plan(Situation(driver: null), Never);
        Assert.Equal(CudaUnavailableReason.NoDriver, plan.Reason);
        Assert.Contains("/proc/driver/nvidia", plan.Explanation);
    }

    [Fact]
    public void A_driver_without_any_cuda_libtorch_is_explained()
    {
        var plan = DeviceSelection.Plan(Situation(), () => (null, "python3 has no PyTorch (No module named 'torch')"));
        Assert.Equal(CudaUnavailableReason.NoCudaLibTorch, plan.Reason);
        Assert.Contains("No module named 'torch'", plan.Explanation);
        Assert.Contains("BOOK_LIBTORCH", plan.Explanation);
        Assert.Contains("2.10", plan.Explanation);
    }

    [Fact]
    public void A_matching_cuda_pytorch_supplies_libtorch_before_the_resolver_is_installed()
    {
        var plan = DeviceSelection.Plan(Situation(), PyTorch("2.10.0+cu128"));
        Assert.Null(plan.Reason);
        Assert.NotNull(plan.ToInstall);
        Assert.Equal(Path.Combine(pyTorchPackage, "lib"), plan.ToInstall!.LibTorchDirectory);
        Assert.True(plan.ToInstall.HasCuda);
        Assert.Equal(cpuLibTorch.LibTorchSharp, plan.ToInstall.LibTorchSharp);
    }

    [Fact]
    public void A_pytorch_of_another_version_is_not_loaded()
    {
        var plan = DeviceSelection.Plan(Situation(), PyTorch("2.5.1+cu121"));
        Assert.Equal(CudaUnavailableReason.NoCudaLibTorch, plan.Reason);
        Assert.Contains("2.5.1", plan.Explanation);
        Assert.Contains("needs libtorch 2.10", plan.Explanation);
        Assert.Same(cpuLibTorch, plan.ToInstall);
    }

    [Fact]
    public void A_cpu_only_pytorch_is_named_as_such()
    {
        var plan = DeviceSelection.Plan(Situation(), PyTorch("2.10.0+cpu", cuda: null));
        Assert.Equal(CudaUnavailableReason.NoCudaLibTorch, plan.Reason);
        Assert.Contains("CPU-only", plan.Explanation);
    }

    [Fact]
    public void Libtorch_chosen_before_setup_is_reported_with_the_fix()
    {
        var plan = DeviceSelection.Plan(Situation(preinstalled: cpuLibTorch), PyTorch("2.10.1+cu128"));
        Assert.Equal(CudaUnavailableReason.LibTorchChosenBeforeSetup, plan.Reason);
        Assert.Null(plan.ToInstall);
        Assert.Contains($"BOOK_LIBTORCH={Path.Combine(pyTorchPackage, "lib")}", plan.Explanation);
        Assert.Contains("1491", plan.Explanation);
    }

    [Fact]
    public void Native_libraries_loaded_before_setup_are_kept_and_explained_when_they_lack_cuda()
    {
        TestSetup.Initialize();
        var situation = Situation(loaded: true) with { Discovered = cpuLibTorch };
        var plan = DeviceSelection.Plan(situation, Never);
        Assert.Null(plan.ToInstall);
        Assert.Null(plan.Reason);
        // The libtorch this process loaded (CPU only) answers that CUDA is unavailable; setup then says why.
        var diagnostics = DeviceSelection.Apply(situation, plan, typeof(torch).Assembly);
        Assert.Equal(CudaUnavailableReason.LibTorchChosenBeforeSetup, diagnostics.Reason);
        Assert.Contains("before setup", diagnostics.Explanation);
        Assert.Equal("cpu", diagnostics.Device);
    }

    [Fact]
    public void Asking_for_cuda_where_it_cannot_be_had_fails_with_the_reason()
    {
        var situation = Situation(DeviceRequest.Cuda, driver: null, preinstalled: TorchSharpNativeResolver.Installed ?? cpuLibTorch);
        var plan = DeviceSelection.Plan(situation, Never);
        var e = Assert.Throws<InvalidOperationException>(() => DeviceSelection.Apply(situation, plan, typeof(torch).Assembly));
        Assert.Contains("BOOK_DEVICE=cuda", e.Message);
        Assert.Contains("no NVIDIA driver", e.Message);
    }

    [Fact]
    public void The_expected_libtorch_version_is_read_without_native_code() =>
        Assert.Matches(@"^2\.\d+\.\d+", Book.Native.LibTorchRule.ExpectedVersion(typeof(torch).Assembly));
}

[Collection(ProcessState.Name)]
public class BookSetupTests
{
    public BookSetupTests() => TestSetup.Initialize();

    [Fact]
    public void Setup_installs_the_resolver_and_explains_the_device()
    {
        var book = TestSetup.Book;
        Assert.NotNull(TorchSharpNativeResolver.Installed);
        if (DeviceSelection.Requested() == DeviceRequest.Cpu)
        {
            Assert.Equal(CudaUnavailableReason.RequestedCpu, book.Diagnostics.Reason);
        }
        else if (NvidiaDriver.Evidence() is null)
        {
            Assert.Equal(DeviceType.CPU, book.Device.type);
            Assert.Equal(CudaUnavailableReason.NoDriver, book.Diagnostics.Reason);
            Assert.Contains("CUDA not used: no NVIDIA driver", book.Diagnostics.Summary);
        }
        else
        {
            Assert.NotEqual(CudaUnavailableReason.NoDriver, book.Diagnostics.Reason);
        }
        Assert.Equal(book.Diagnostics.UsesCuda, book.IsCuda);
    }

    [Fact]
    public void Setup_prints_one_block_with_chapter_profile_device_versions_and_seed()
    {
        var output = new StringWriter();
        var book = BookSetup.Start("gpt-from-scratch", 1234, output);
        string text = output.ToString();
        Assert.Contains("gpt-from-scratch", text);
        Assert.Contains("seed 1234", text);
        Assert.Contains($"profile {book.Profile}", text);
        Assert.Contains("TorchSharp 0.107.0", text);
        Assert.Contains("libtorch 2.10", text);
        Assert.Contains("ILGPU 1.5.3", text);
        Assert.Contains("device", text);
        Assert.InRange(text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length, 3, 6);
    }

    [Fact]
    public void Setup_mentions_the_libstdcxx_copy_in_one_quiet_line_without_paths_and_writes_no_stderr()
    {
        var output = new StringWriter();
        var stderr = new StringWriter();
        var previousError = Console.Error;
        Console.SetError(stderr);
        try
        {
            BookSetup.Start("gpt-from-scratch", 1234, output);
        }
        finally
        {
            Console.SetError(previousError);
        }

        Assert.Equal("", stderr.ToString());
        var native = output.ToString().Split('\n').Where(line => line.StartsWith("native", StringComparison.Ordinal)).ToList();
        if (TorchSharpNativeResolver.CompatibilityCopy is null)
        {
            Assert.Empty(native);
            return;
        }

        // This machine's libstdc++ is older than TorchSharp's wrapper asks (Debian 12, Ubuntu 22.04).
        string line = Assert.Single(native);
        Assert.Contains("libstdc++", line);
        Assert.Contains("native.log", line);
        Assert.DoesNotContain("GLIBCXX", line);
        Assert.DoesNotContain("/", line.Replace("logs/native.log", ""));
    }

    [Fact]
    public void Reseed_makes_torch_and_the_managed_random_repeat()
    {
        var book = TestSetup.Book;
        book.Reseed(99);
        float[] first;
        using (var a = torch.rand(5)) first = a.data<float>().ToArray();
        int managedFirst = book.Random.Next();
        book.Reseed(99);
        using var b = torch.rand(5);
        Assert.Equal(first, b.data<float>().ToArray());
        Assert.Equal(managedFirst, book.Random.Next());
        Assert.NotEqual(book.NewRandom(1).Next(), book.NewRandom(2).Next());
    }

    [Fact]
    public void Process_memory_is_measured() => Assert.True(ProcessMemory.ResidentBytes() > 10_000_000);
}

public class NotebookHostTests
{
    [Fact]
    public void The_host_is_told_by_the_engines_assemblies()
    {
        Assert.Equal(NotebookHostKind.DotNetInteractive,
            NotebookHost.Detect(new[] { "Microsoft.DotNet.Interactive", "Microsoft.DotNet.Interactive.CSharp", "TorchSharp" }));
        Assert.Equal(NotebookHostKind.BookEngine, NotebookHost.Detect(new[] { "Book.Engine", "TorchSharp" }));
        // Formatting alone (which the library itself references) does not make a notebook engine.
        Assert.Equal(NotebookHostKind.Program, NotebookHost.Detect(new[] { "Microsoft.DotNet.Interactive.Formatting", "xunit.core" }));
    }

    [Fact]
    public void A_test_process_is_a_program() => Assert.Equal(NotebookHostKind.Program, NotebookHost.Current);
}
