using TransformersBook.Data;
using Xunit;

namespace TransformersBook.Tests;

/// <summary>The first-name lists: parsing, and the real packages when npm can install them.</summary>
[Collection(ProcessState.Name)]
public class FirstNamesTests
{
    [Fact]
    public void Parse_reads_a_json_array_of_names() =>
        Assert.Equal(new[] { "Amy", "John" }, FirstNames.Parse("[\"Amy\", \" John \", \"\"]"));

    [Fact]
    public void The_real_lists_load_and_their_overlap_is_left_out_of_the_unambiguous_ones()
    {
        IReadOnlyList<string> female, male;
        try
        {
            female = FirstNames.Female();
            male = FirstNames.Male();
        }
        catch (DataUnavailableException e) when (e.Problem is DataProblem.NpmMissing or DataProblem.Offline &&
            !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }
        Assert.Equal(4951, female.Count);
        Assert.Equal(3898, male.Count);
        Assert.Contains("Amy", female);
        Assert.Contains("John", male);
        var (onlyFemale, onlyMale) = FirstNames.Unambiguous();
        Assert.Contains("Adrian", female);
        Assert.Contains("Adrian", male);
        Assert.DoesNotContain("Adrian", onlyFemale);
        Assert.DoesNotContain("Adrian", onlyMale);
        Assert.Empty(onlyFemale.Intersect(onlyMale, StringComparer.OrdinalIgnoreCase));
    }
}
