using Book.Native;
using Xunit;

namespace Book.Native.Tests;

public class OneDnnInstructionSetTests
{
    [Fact]
    public void Cap_is_visible_in_the_C_environment_that_oneDNN_reads()
    {
        string? before = OneDnnInstructionSet.Current();
        string? value = OneDnnInstructionSet.CapUnlessSet();
        Assert.NotNull(value);
        Assert.Equal(value, OneDnnInstructionSet.Current());
        // A value already there (the reader's, or this process's earlier cap) is kept, not overwritten.
        Assert.Equal(string.IsNullOrEmpty(before) ? OneDnnInstructionSet.BookDefault : before, value);
        Assert.Equal(value, OneDnnInstructionSet.CapUnlessSet());
    }
}
