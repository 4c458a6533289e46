using TransformersBook.Audio;
using TransformersBook.Data;

namespace TransformersBook.Tests;

public class EspeakSynthesizerTests
{
    [Fact]
    public void A_word_is_spoken_and_cached_where_espeak_ng_is_installed()
    {
        if (!EspeakSynthesizer.IsInstalled)
        {
            var error = Assert.Throws<DataUnavailableException>(() => EspeakSynthesizer.Find());
            Assert.Equal(DataProblem.ProgramMissing, error.Problem);
            Assert.Contains("apt-get install espeak-ng", error.Message);
            return;
        }
        var synthesizer = EspeakSynthesizer.Find();
        Assert.Contains("eSpeak NG", synthesizer.Version);
        var clip = synthesizer.Synthesize("seven", "en-us", 160, 50);
        Assert.Equal(22050, clip.SampleRate);
        Assert.InRange(clip.Seconds, 0.2, 2.0);
        Assert.True(clip.Samples.Max(Math.Abs) > 0.05f);
        // The second call reads the cached file: the same samples.
        Assert.Equal(clip.Samples, synthesizer.Synthesize("seven", "en-us", 160, 50).Samples);
        // A slower speed gives a longer clip.
        Assert.True(synthesizer.Synthesize("seven", "en-us", 100, 50).Seconds > clip.Seconds);
    }

    [Fact]
    public void A_missing_program_is_reported_with_the_install_command()
    {
        string? saved = Environment.GetEnvironmentVariable(EspeakSynthesizer.ExecutableVariable);
        try
        {
            Environment.SetEnvironmentVariable(EspeakSynthesizer.ExecutableVariable, "/nonexistent/espeak-ng");
            var error = Assert.Throws<DataUnavailableException>(() => EspeakSynthesizer.Find());
            Assert.Equal(DataProblem.ProgramMissing, error.Problem);
            Assert.Contains(EspeakSynthesizer.InstallCommand, error.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable(EspeakSynthesizer.ExecutableVariable, saved);
        }
    }
}
