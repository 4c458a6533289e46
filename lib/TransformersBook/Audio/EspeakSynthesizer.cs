using System.Diagnostics;
using System.Text;
using Book.Native;
using TransformersBook.Data;

namespace TransformersBook.Audio;

/// <summary>
/// Spoken words from espeak-ng, a formant synthesiser (it builds speech from rules and resonances, not from recordings):
/// <c>espeak-ng -v voice -s speed -p pitch -w file.wav text</c>, run as a process. Each clip is cached as a WAV file in the
/// book's cache (<c>BookCache.Folder("speech")</c>), never in the repository, so a second run reads files instead of
/// synthesising. Where espeak-ng is not installed, <see cref="Find"/> throws a <see cref="DataUnavailableException"/>
/// that says how to install it.
/// </summary>
public sealed class EspeakSynthesizer
{
    /// <summary>The environment variable that may name the espeak-ng executable (otherwise it is looked up on PATH).</summary>
    public const string ExecutableVariable = "ESPEAK_NG";

    /// <summary>The command that installs espeak-ng on Debian and Ubuntu.</summary>
    public const string InstallCommand = "sudo apt-get install espeak-ng";

    EspeakSynthesizer(string executable, string version)
    {
        Executable = executable;
        Version = version;
        CacheFolder = BookCache.Folder("speech", Sanitize(version));
    }

    /// <summary>The full path of the executable.</summary>
    public string Executable { get; }

    /// <summary>The first line of <c>espeak-ng --version</c>.</summary>
    public string Version { get; }

    /// <summary>Where the synthesised clips are cached (one folder per espeak-ng version).</summary>
    public string CacheFolder { get; }

    /// <summary>The executable's path, or null when espeak-ng is neither named by ESPEAK_NG nor on PATH.</summary>
    public static string? Locate()
    {
        if (Environment.GetEnvironmentVariable(ExecutableVariable) is { Length: > 0 } named) return File.Exists(named) ? named : null;
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var name in new[] { "espeak-ng", "espeak-ng.exe" })
            {
                string candidate = Path.Combine(folder, name);
                if (File.Exists(candidate)) return candidate;
            }
        }
        return null;
    }

    /// <summary>The synthesiser, or a <see cref="DataUnavailableException"/> that says espeak-ng is missing and how to install it.</summary>
    /// <exception cref="DataUnavailableException">espeak-ng is not installed or does not run.</exception>
    public static EspeakSynthesizer Find()
    {
        string executable = Locate() ?? throw new DataUnavailableException("espeak-ng", DataProblem.ProgramMissing,
            $"the speech synthesiser espeak-ng is not installed (not on PATH, and {ExecutableVariable} is not set), so no spoken words can be made.",
            InstallCommand);
        var (exitCode, output, error) = Run(executable, new[] { "--version" });
        if (exitCode != 0)
            throw new DataUnavailableException("espeak-ng", DataProblem.ProgramMissing, $"{executable} --version failed ({exitCode}): {error}", InstallCommand);
        return new EspeakSynthesizer(executable, output.Split('\n')[0].Trim());
    }

    /// <summary>Whether espeak-ng can be found, without starting it.</summary>
    public static bool IsInstalled => Locate() is not null;

    /// <summary>Speaks <paramref name="text"/> and returns the clip (from the cache when it was made before).</summary>
    /// <param name="text">The words.</param>
    /// <param name="voice">An espeak-ng voice, such as en-us, en-gb-scotland, or en-gb+f3 (a voice with a variant).</param>
    /// <param name="wordsPerMinute">The speed (espeak-ng's default is 175).</param>
    /// <param name="pitch">0–99 (default 50).</param>
    /// <exception cref="DataUnavailableException">espeak-ng failed.</exception>
    public AudioClip Synthesize(string text, string voice, int wordsPerMinute = 175, int pitch = 50)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        ArgumentException.ThrowIfNullOrWhiteSpace(voice);
        string file = Path.Combine(CacheFolder, Sanitize($"{voice}_{wordsPerMinute}_{pitch}_{text}") + ".wav");
        if (!File.Exists(file))
        {
            string temp = $"{file}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
            var (exitCode, _, error) = Run(Executable, new[] { "-v", voice, "-s", wordsPerMinute.ToString(), "-p", pitch.ToString(), "-w", temp, text });
            if (exitCode != 0 || !File.Exists(temp))
                throw new DataUnavailableException("espeak-ng", DataProblem.InstallFailed, $"espeak-ng failed on \"{text}\" with voice {voice} ({exitCode}): {error}");
            File.Move(temp, file, overwrite: true);
        }
        return WavFile.Read(file);
    }

    static (int ExitCode, string Output, string Error) Run(string executable, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new DataUnavailableException("espeak-ng", DataProblem.ProgramMissing, $"{executable} did not start.", InstallCommand);
        var errorTask = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, errorTask.Result);
    }

    static string Sanitize(string name)
    {
        var builder = new StringBuilder();
        foreach (char c in name) builder.Append(char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        return builder.ToString();
    }
}
