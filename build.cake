// The book's build: `dotnet tool restore && dotnet cake` builds the tools and library, executes every chapter and
// renders the site. Options: --target=<task> --profile=smoke|default --device=auto|cpu|cuda --libtorch=<dir> --force
// Tasks: Restore, Build, Test, Notebooks, Site, Book (default), Serve, Kernel, DevicePayload.

var target = Argument("target", "Book");
var configuration = Argument("configuration", "Release");
var profile = Argument("profile", EnvironmentVariable("BOOK_PROFILE") ?? "default");
var device = Argument("device", EnvironmentVariable("BOOK_DEVICE") ?? "auto");
var libtorch = Argument("libtorch", EnvironmentVariable("BOOK_LIBTORCH") ?? "");
var force = HasArgument("force");
var port = Argument("port", 8000);

var solution = File("./TransformersBook.slnx");
var bookTool = File("./artifacts/book/book.dll");

// Runs `book <args>` with the options the reader chose, and fails the build when it fails.
void Book(string arguments)
{
    var settings = new ProcessSettings { Arguments = $"\"{MakeAbsolute(bookTool)}\" {arguments}" };
    settings.EnvironmentVariables = new Dictionary<string, string> { ["BOOK_PROFILE"] = profile, ["BOOK_DEVICE"] = device };
    if (!string.IsNullOrEmpty(libtorch)) settings.EnvironmentVariables["BOOK_LIBTORCH"] = libtorch;
    int exit = StartProcess("dotnet", settings);
    if (exit != 0) throw new CakeException($"book {arguments} failed with exit code {exit}.");
}

Task("Restore")
    .Description("NuGet packages and the site's front-end assets (npm). Data sets are fetched by the library on first use.")
    .Does(() =>
{
    DotNetRestore(solution.Path.FullPath);
    NpmCi("site");
});

// npm ci with the lockfile: exact versions, integrity-checked.
void NpmCi(string folder)
{
    int exit = StartProcess("npm", new ProcessSettings { Arguments = $"ci --prefix {folder} --ignore-scripts --no-audit --no-fund" });
    if (exit != 0) throw new CakeException($"npm ci in {folder}/ failed (exit {exit}); is npm installed and the registry reachable?");
}

Task("Build")
    .Description("The engine, the `book` tool and the library the chapters reference (artifacts/).")
    .IsDependentOn("Restore")
    .Does(() =>
{
    DotNetBuild(solution.Path.FullPath, new DotNetBuildSettings { Configuration = configuration, NoRestore = true });
});

Task("Test")
    .Description("Every test: engine, kernel, library, site (in Chromium) and every chapter in the smoke profile.")
    .IsDependentOn("Build")
    .Does(() =>
{
    DotNetTest(solution.Path.FullPath, new DotNetTestSettings { Configuration = configuration, NoBuild = true, NoRestore = true });
});

Task("Notebooks")
    .Description("Execute every chapter into build/notebooks (unchanged chapters are reused unless --force).")
    .IsDependentOn("Build")
    .Does(() =>
{
    Book($"run --all --profile {profile} --device {device}" + (force ? " --force" : ""));
});

Task("Site")
    .Description("Render build/site from book.yml and the executed chapters.")
    .Does(() =>
{
    Book("check");
    Book("render --out build/site");
    Information($"The site is in {MakeAbsolute(Directory("./build/site"))}; `dotnet cake --target=Serve` serves it.");
});

Task("Book")
    .Description("Build, execute every chapter, render the site.")
    .IsDependentOn("Notebooks")
    .IsDependentOn("Site");

Task("Serve")
    .Description("Serve build/site on http://127.0.0.1:<port>.")
    .Does(() => Book($"serve --site build/site --port {port}"));

Task("Kernel")
    .Description("Install the book's Jupyter kernel (csharp-book) for this user.")
    .IsDependentOn("Build")
    .Does(() => Book("kernel install --user"));

Task("DevicePayload")
    .Description("build/device-payload.tar.xz: the .NET runtime, the book tool and library, the chapters' packages " +
                 "without libtorch and the built benchmarks, for an offline GPU machine with CUDA PyTorch (see tools/gpu/run-on-device.sh).")
    .IsDependentOn("Build")
    .Does(() =>
{
    var stage = MakeAbsolute(Directory("./build/device"));
    CleanDirectory(stage);
    var chapters = GetFiles("./chapters/**/*.ipynb").Select(f => $"\"{f.FullPath}\"");
    Book($"bundle --without-libtorch --out \"{stage}/bundle\" {string.Join(" ", chapters)} tests/Book.Engine.Tests/notebooks/torch-training.ipynb");
    // The runtime this build runs on: the dotnet host, host/fxr and the shared framework, nothing of the SDK.
    var dotnetRoot = System.IO.Path.GetDirectoryName(System.Environment.ProcessPath)!;
    var runtime = System.Environment.Version.ToString();
    EnsureDirectoryExists(stage.Combine("dotnet"));
    CopyFileToDirectory(System.IO.Path.Combine(dotnetRoot, "dotnet"), stage.Combine("dotnet"));
    CopyDirectory(System.IO.Path.Combine(dotnetRoot, "host"), stage.Combine("dotnet/host"));
    CopyDirectory(System.IO.Path.Combine(dotnetRoot, "shared", "Microsoft.NETCore.App", runtime), stage.Combine($"dotnet/shared/Microsoft.NETCore.App/{runtime}"));
    CopyDirectory("./artifacts/book", stage.Combine("artifacts/book"));
    CopyDirectory("./artifacts/lib", stage.Combine("artifacts/lib"));
    // The benchmarks, built framework-dependent: the device has the runtime but no SDK to `dotnet run` them, and their
    // projects exclude libtorch, which comes from the device's PyTorch.
    // They share one folder (same packages, one copy) and keep only the linux-x64 native libraries: the payload must
    // stay under what a device run carries (64 MiB).
    foreach (var project in GetFiles("./benchmarks/*/*.csproj"))
        DotNetBuild(project.FullPath, new DotNetBuildSettings { Configuration = "Release", OutputDirectory = stage.Combine("benchmarks") });
    foreach (var folder in new[] { stage.Combine("benchmarks/runtimes"), stage.Combine("artifacts/book/runtimes") })
        foreach (var platform in GetSubDirectories(folder).Where(d => d.GetDirectoryName() != "linux-x64"))
            DeleteDirectory(platform, new DeleteDirectorySettings { Recursive = true });
    int exit = StartProcess("tar", new ProcessSettings { Arguments = $"-cJf build/device-payload.tar.xz -C \"{stage}\" ." });
    if (exit != 0) throw new CakeException("tar failed");
    Information($"build/device-payload.tar.xz: {new System.IO.FileInfo("build/device-payload.tar.xz").Length / 1e6:0.0} MB");
});

RunTarget(target);
