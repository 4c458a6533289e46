using Book.Native;
using Xunit;

namespace Book.Native.Tests;

/// <summary>The values the CLI, the engine and the library exchange through the environment parse one way everywhere.</summary>
public class BookContractTests
{
    [Theory]
    [InlineData(null, "default")]
    [InlineData("", "default")]
    [InlineData(" Default ", "default")]
    [InlineData("SMOKE", "smoke")]
    public void Profile_values_parse_to_their_canonical_name(string? value, string expected) =>
        Assert.Equal(expected, RunProfiles.Parse(value));

    [Fact]
    public void An_unknown_profile_is_an_error_that_names_the_variable_and_the_choices()
    {
        var error = Assert.Throws<ArgumentException>(() => RunProfiles.Parse("fast"));
        Assert.Contains("BOOK_PROFILE=fast", error.Message);
        Assert.Contains("smoke", error.Message);
    }

    [Theory]
    [InlineData(null, "auto")]
    [InlineData("AUTO", "auto")]
    [InlineData("cpu", "cpu")]
    [InlineData("Cuda", "cuda")]
    [InlineData("gpu", "cuda")]
    public void Device_values_parse_to_their_canonical_name(string? value, string expected) =>
        Assert.Equal(expected, DeviceChoices.Parse(value));

    [Fact]
    public void An_unknown_device_is_an_error_that_names_the_variable()
    {
        var error = Assert.Throws<ArgumentException>(() => DeviceChoices.Parse("tpu"));
        Assert.Contains("BOOK_DEVICE=tpu", error.Message);
    }

    [Fact]
    public void Every_listed_name_parses_to_itself()
    {
        foreach (var name in RunProfiles.Names) Assert.Equal(name, RunProfiles.Parse(name));
        foreach (var name in DeviceChoices.Names) Assert.Equal(name, DeviceChoices.Parse(name));
    }

    [Fact]
    public void The_book_root_is_the_nearest_folder_with_the_table_of_contents()
    {
        string root = Directory.CreateTempSubdirectory("book-root-").FullName;
        try
        {
            string nested = Directory.CreateDirectory(Path.Combine(root, "chapters", "01")).FullName;
            Assert.Null(BookRoot.FindFrom(nested));
            File.WriteAllText(Path.Combine(root, BookRoot.TocFileName), "title: x\n");
            Assert.Equal(root, BookRoot.FindFrom(nested));
        }
        finally { Directory.Delete(root, recursive: true); }
    }
}
