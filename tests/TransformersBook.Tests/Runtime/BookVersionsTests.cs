using TransformersBook.Runtime;

namespace TransformersBook.Tests;

public class BookVersionsTests
{
    [Fact]
    public void Versions_read_the_loaded_packages()
    {
        var versions = BookVersions.Current();
        Assert.Equal("1.5.3", versions.Ilgpu);
        Assert.StartsWith("0.107.", versions.TorchSharp, StringComparison.Ordinal);
        Assert.NotEqual(BookVersions.NotReferenced, versions.Tokenizers);
    }

    [Fact]
    public void A_package_the_notebook_leaves_out_reads_as_not_referenced()
    {
        Assert.Equal(BookVersions.NotReferenced,
            BookVersions.OfOptional(() => throw new FileNotFoundException("Could not load file or assembly 'ILGPU'")));
    }

    [Fact]
    public void Other_failures_are_not_hidden()
    {
        Assert.Throws<InvalidOperationException>(() => BookVersions.OfOptional(() => throw new InvalidOperationException()));
    }
}
