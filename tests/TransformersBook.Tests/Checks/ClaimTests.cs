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

[Collection(ProcessState.Name)]
public class ClaimProfileTests : IDisposable
{
    readonly BookProfile previous;

    public ClaimProfileTests()
    {
        TestSetup.Initialize();
        previous = BookProfile.Current;
        Claims.Reset();
    }

    public void Dispose()
    {
        BookProfile.Current = previous;
        Environment.SetEnvironmentVariable(Book.Native.BookEnvironment.MutateClaim, null);
        Environment.SetEnvironmentVariable(Book.Native.BookEnvironment.ClaimsFile, null);
    }

    [Fact]
    public void A_claim_a_profile_cannot_test_is_shown_as_not_checked_never_as_holding()
    {
        BookProfile.Current = new BookProfile(ProfileName.Smoke, onGpu: false);
        // Even a value that would fail is not judged where the profile is too small for the claim.
        var result = Claim.AtLeast("RoPE beats learned positions", -0.3, smoke: Claim.NotChecked, @default: 0.05);
        Assert.Equal(ClaimStatus.NotChecked, result.Status);
        Assert.False(result.Passed);
        Assert.Equal("– not checked in this profile", result.Verdict);
        Assert.Equal("not checked in this profile", result.Expected);

        BookProfile.Current = new BookProfile(ProfileName.Default, onGpu: false);
        Assert.Throws<ClaimFailedException>(() => Claim.AtLeast("RoPE beats learned positions", -0.3, smoke: Claim.NotChecked, @default: 0.05));
        Assert.Equal(ClaimStatus.NotChecked, Claim.NotCheckedHere("needs a GPU-sized run", "too few steps").Status);

        var table = Claims.Summary();
        Assert.Equal(new object?[] { "– not checked in this profile", "✘ fails", "– not checked in this profile" }, table.Column("result").ToArray());
        Assert.Equal((1, 2), Claims.Count());
    }

    [Fact]
    public void A_beats_claim_fails_when_b_wins_and_refuses_a_negative_bound()
    {
        BookProfile.Current = new BookProfile(ProfileName.Smoke, onGpu: false);
        Assert.True(Claim.Beats("attention beats no attention", 0.02, smoke: 0, @default: 0.05).Passed);
        Assert.Throws<ClaimFailedException>(() => Claim.Beats("attention beats no attention", 0.0, smoke: 0, @default: 0.05));
        Assert.Throws<ClaimFailedException>(() => Claim.Beats("attention beats no attention", -0.1, smoke: 0, @default: 0.05));
        var refused = Assert.Throws<ArgumentOutOfRangeException>(() => Claim.Beats("x", 0.1, smoke: -0.1, @default: 0));
        Assert.Contains("negative bound would pass when the claim is false", refused.Message);
        Assert.Throws<ClaimFailedException>(() => Claim.BeatsChance("shape accuracy", 0.15, chance: 0.25));
        Assert.True(Claim.BeatsChance("shape accuracy", 0.4, chance: 0.25, smoke: 0.1).Passed);
    }

    [Fact]
    public void The_mutation_hook_negates_the_named_claims_measured_value()
    {
        BookProfile.Current = new BookProfile(ProfileName.Smoke, onGpu: false);
        Environment.SetEnvironmentVariable(Book.Native.BookEnvironment.MutateClaim, "GPT beats");
        var e = Assert.Throws<ClaimFailedException>(() => Claim.Beats("GPT beats the bigram (nats/char)", 0.4, smoke: 0.1, @default: 0.5));
        Assert.Contains("-0.4", e.Message);
        Assert.Contains("mutated by BOOK_MUTATE_CLAIM", e.Message);
        Assert.Throws<ClaimFailedException>(() => Claim.True("GPT beats the bigram", true));
        // Other claims are untouched.
        Assert.True(Claim.AtLeast("bigram reaches counts", 0.4, smoke: 0.1, @default: 0.5 - 0.2).Passed);
    }

    [Fact]
    public void Claims_are_appended_to_the_runners_file_one_json_line_each()
    {
        BookProfile.Current = new BookProfile(ProfileName.Default, onGpu: false);
        string file = Path.GetTempFileName();
        try
        {
            Environment.SetEnvironmentVariable(Book.Native.BookEnvironment.ClaimsFile, file);
            Claim.AtLeast("accuracy", 0.9, smoke: 0.5, @default: 0.8);
            Claim.NotCheckedHere("speed-up", "CPU only");
            var lines = File.ReadAllLines(file).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToList();
            Assert.Equal(2, lines.Count);
            Assert.Equal("accuracy", lines[0].GetProperty("name").GetString());
            Assert.Equal("holds", lines[0].GetProperty("status").GetString());
            Assert.Equal("≥ 0.8", lines[0].GetProperty("expected").GetString());
            Assert.Equal("not checked", lines[1].GetProperty("status").GetString());
        }
        finally
        {
            File.Delete(file);
        }
    }
}
