using Book.Kernel;

namespace Book.Kernel.Tests;

public class ReplayGuardTests
{
    const string First = "3f2a9c0d5e";
    const string Second = "b41c77e09a";

    [Fact]
    public void A_signature_is_new_once()
    {
        var guard = new ReplayGuard();

        Assert.True(guard.IsNew(First));
        Assert.False(guard.IsNew(First));
        Assert.True(guard.IsNew(Second));
        Assert.False(guard.IsNew(First));
    }

    [Fact]
    public void Upper_case_hex_is_the_same_signature()
    {
        // The signer accepts either case, so an attacker could otherwise replay by changing the case.
        var guard = new ReplayGuard();

        Assert.True(guard.IsNew(First));
        Assert.False(guard.IsNew(First.ToUpperInvariant()));
    }

    [Fact]
    public void The_oldest_signature_is_forgotten_beyond_capacity()
    {
        var guard = new ReplayGuard(capacity: 2);
        Assert.True(guard.IsNew("a1"));
        Assert.True(guard.IsNew("b2"));
        Assert.True(guard.IsNew("c3")); // forgets a1

        Assert.False(guard.IsNew("b2"));
        Assert.False(guard.IsNew("c3"));
        Assert.True(guard.IsNew("a1")); // forgets b2
        Assert.True(guard.IsNew("b2"));
    }

    [Fact]
    public void Capacity_must_be_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReplayGuard(0));
        Assert.Equal(65536, new ReplayGuard().Capacity);
    }
}
