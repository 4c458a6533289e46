using TransformersBook.Checks;
using TransformersBook.Runtime;

namespace TransformersBook.Tests;

[Collection(ProcessState.Name)]
public class ClaimTests : IDisposable
{
    readonly BookProfile previous;

    public ClaimTests()
    {
        TestSetup.Initialize();
        previous = BookProfile.Current;
        Claims.Reset();
    }

    public void Dispose() => BookProfile.Current = previous;

    [Fact]
    public void A_passing_claim_returns_a_displayable_row()
    {
        BookProfile.Current = new BookProfile(ProfileName.Default, onGpu: false);
        var result = Claim.That("RoPE extrapolates", 0.91, Is.GreaterThan(0.62));
        Assert.True(result.Passed);
        Assert.Contains("RoPE extrapolates", result.ToHtml());
        Assert.Contains("0.91 > 0.62", result.ToString());
        Assert.Contains("[default]", result.ToString());
    }

    [Fact]
    public void A_failing_claim_throws_with_the_values_and_the_profile()
    {
        BookProfile.Current = new BookProfile(ProfileName.Smoke, onGpu: false);
        var e = Assert.Throws<ClaimFailedException>(() => Claim.AtLeast("accuracy", 0.4, smoke: 0.5, @default: 0.9, detail: "after 50 steps"));
        Assert.Contains("accuracy", e.Message);
        Assert.Contains("0.4", e.Message);
        Assert.Contains("≥ 0.5", e.Message);
        Assert.Contains("smoke", e.Message);
        Assert.Contains("after 50 steps", e.Message);
        Assert.False(e.Result.Passed);
    }

    [Fact]
    public void Thresholds_follow_the_profile()
    {
        BookProfile.Current = new BookProfile(ProfileName.Smoke, onGpu: false);
        Assert.True(Claim.AtLeast("accuracy", 0.6, smoke: 0.5, @default: 0.9).Passed);
        BookProfile.Current = new BookProfile(ProfileName.Default, onGpu: false);
        Assert.Throws<ClaimFailedException>(() => Claim.AtLeast("accuracy", 0.6, smoke: 0.5, @default: 0.9));
        BookProfile.Current = new BookProfile(ProfileName.Default, onGpu: true);
        Assert.Throws<ClaimFailedException>(() => Claim.AtMost("loss", 1.5, smoke: 2.5, @default: 2.0, gpu: 1.2));
        Assert.True(Claim.AtMost("loss", 1.1, smoke: 2.5, @default: 2.0, gpu: 1.2).Passed);
    }

    [Fact]
    public void True_and_close_to()
    {
        Assert.True(Claim.True("masks are causal", condition: true, detail: "upper triangle is -inf").Passed);
        Assert.Throws<ClaimFailedException>(() => Claim.True("KV cache is faster", condition: false, detail: "1.0× speed-up"));
        Assert.True(Claim.That("matches TorchSharp", 0.50000001, Is.CloseTo(0.5, 1e-6)).Passed);
        Assert.Throws<ClaimFailedException>(() => Claim.That("NaN never passes", double.NaN, Is.LessThan(1)));
    }

    [Fact]
    public void The_summary_lists_every_claim_checked()
    {
        Claim.That("first", 1, Is.AtLeast(0));
        Assert.Throws<ClaimFailedException>(() => Claim.That("second", 1, Is.Between(2, 3)));
        var table = Claims.Summary();
        Assert.Equal(new object?[] { "first", "second" }, table.Column("claim").ToArray());
        Assert.Equal(new object?[] { "✔ holds", "✘ fails" }, table.Column("result").ToArray());
    }
}
