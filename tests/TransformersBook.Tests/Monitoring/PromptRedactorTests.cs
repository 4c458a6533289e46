using TransformersBook.Monitoring;
using Xunit;

namespace TransformersBook.Tests;

/// <summary>The redactor removes each kind of personal data it knows, and keeps ordinary text (years, counts, prose) as it was.</summary>
public class PromptRedactorTests
{
    [Theory]
    [InlineData("write to jane.doe+news@example.co.uk today", "write to [EMAIL] today")]
    [InlineData("card 4111 1111 1111 1111 expires", "card [CARD] expires")]
    [InlineData("card 4111-1111-1111-1111.", "card [CARD].")]
    [InlineData("pan 378282246310005 ok", "pan [CARD] ok")]
    [InlineData("ssn 123-45-6789 on file", "ssn [SSN] on file")]
    [InlineData("call +1 (202) 555-0143 now", "call [PHONE] now")]
    [InlineData("call 202-555-0143 now", "call [PHONE] now")]
    [InlineData("ring +44 20 7946 0958", "ring [PHONE]")]
    [InlineData("from 192.168.10.254 at noon", "from [IP] at noon")]
    [InlineData("use sk-abcdefghijklmnop1234 here", "use [SECRET] here")]
    [InlineData("api_key=9f8e7d6c5b4a and more", "[SECRET] and more")]
    public void Removes_each_kind_of_personal_data(string text, string expected) => Assert.Equal(expected, PromptRedactor.Redact(text));

    [Theory]
    [InlineData("In 1790 and 1791 the Congress met; 12 states, 3.5 million people.")]
    [InlineData("Fellow-Citizens of the Senate and House of Representatives:")]
    [InlineData("the budget of $4,500,000 for 2021 and version 1.2.3")]
    [InlineData("an email-like word such as user@home is not an address")]
    public void Keeps_text_without_personal_data(string text) => Assert.Equal(text, PromptRedactor.Redact(text));

    [Fact]
    public void Counts_match_what_is_redacted()
    {
        var counts = PromptRedactor.Count("a@b.org, c@d.net, 4111 1111 1111 1111, 202-555-0143");
        Assert.Equal(2, counts["EMAIL"]);
        Assert.Equal(1, counts["CARD"]);
        Assert.Equal(1, counts["PHONE"]);
        Assert.False(counts.ContainsKey("SSN"));
    }
}
