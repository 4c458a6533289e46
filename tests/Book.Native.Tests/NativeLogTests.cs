using Xunit;

namespace Book.Native.Tests;

/// <summary>Tests that set BOOK_CACHE, a process-wide variable, run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BookCacheVariable
{
    public const string Name = "BOOK_CACHE";
}

/// <summary>
/// The libstdc++ compatibility note goes to the log in the book's cache: on stderr it showed under the setup cell of
/// every chapter, in warning colours and with this machine's paths, although nothing was wrong.
/// </summary>
[Collection(BookCacheVariable.Name)]
public sealed class NativeLogTests
{
    const string Note = "libLibTorchSharp.so needs GLIBCXX_3.4.32 from libstdc++.so.6, which this system's lacks; loading a copy with that requirement marked weak: /cache/native/x/libLibTorchSharp.so";

    [Fact]
    public void The_resolvers_log_goes_to_the_cache_not_to_stderr()
    {
        string cache = Directory.CreateTempSubdirectory("book-native-log-").FullName;
        var stderr = new StringWriter();
        var previousError = Console.Error;
        Environment.SetEnvironmentVariable("BOOK_CACHE", cache);
        Console.SetError(stderr);
        try
        {
            TorchSharpNativeResolver.Log(Note);
            TorchSharpNativeResolver.Log("second line");
        }
        finally
        {
            Console.SetError(previousError);
            Environment.SetEnvironmentVariable("BOOK_CACHE", null);
        }

        Assert.Equal("", stderr.ToString());
        string log = Path.Combine(cache, "logs", "native.log");
        var lines = File.ReadAllLines(log);
        Assert.Equal(2, lines.Length);
        Assert.EndsWith(Note, lines[0]);
        Assert.Contains($"pid {Environment.ProcessId}", lines[0]);
        Assert.EndsWith("second line", lines[1]);
        Directory.Delete(cache, recursive: true);
    }

    [Fact]
    public void A_log_that_cannot_be_written_falls_back_to_stderr_with_the_reason()
    {
        // BOOK_CACHE names a file, so the log's folder cannot be created.
        string file = Path.GetTempFileName();
        var stderr = new StringWriter();
        var previousError = Console.Error;
        Environment.SetEnvironmentVariable("BOOK_CACHE", file);
        Console.SetError(stderr);
        try
        {
            NativeLog.Write(Note);
        }
        finally
        {
            Console.SetError(previousError);
            Environment.SetEnvironmentVariable("BOOK_CACHE", null);
            File.Delete(file);
        }

        Assert.Contains(Note, stderr.ToString());
        Assert.Contains("could not write", stderr.ToString());
    }
}
