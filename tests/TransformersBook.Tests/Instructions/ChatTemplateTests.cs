using TransformersBook.Instructions;
using Xunit;

namespace TransformersBook.Tests;

/// <summary>The chat template's layout, markers and response mask.</summary>
public class ChatTemplateTests
{
    static readonly ChatTemplate Template = new("abc ?".ToCharArray());

    [Fact]
    public void Markers_follow_the_alphabet()
    {
        Assert.Equal(5, Template.UserMarker);
        Assert.Equal(6, Template.AssistantMarker);
        Assert.Equal(7, Template.EndMarker);
        Assert.Equal(8, Template.VocabularySize);
    }

    [Fact]
    public void An_example_is_user_instruction_assistant_response_end()
    {
        var example = Template.Example("ab?", "ca");
        Assert.Equal(new long[] { 5, 0, 1, 4, 6, 2, 0, 7 }, example.Tokens);
        Assert.Equal("<|user|>ab?<|assistant|>ca<|end|>", Template.Decode(example.Tokens));
        Assert.Equal(Template.Render("ab?", "ca"), Template.Decode(example.Tokens));
    }

    [Fact]
    public void The_mask_covers_exactly_the_response_and_its_end_marker()
    {
        var example = Template.Example("a b", "cab c");
        int promptLength = 1 + 3 + 1;
        Assert.Equal(Enumerable.Repeat(false, promptLength).Concat(Enumerable.Repeat(true, 5 + 1)), example.ResponseMask);
        Assert.Equal(6, example.ResponseLength);
        // The masked tokens decode to the response followed by the end marker, and nothing else.
        var masked = example.Tokens.Where((_, i) => example.ResponseMask[i]);
        Assert.Equal("cab c" + ChatTemplate.EndText, Template.Decode(masked));
    }

    [Fact]
    public void Targets_and_their_mask_are_shifted_by_one()
    {
        var example = Template.Example("a", "b");        // tokens: user a assistant b end
        Assert.Equal(new long[] { 5, 0, 6, 1 }, example.Inputs);
        Assert.Equal(new long[] { 0, 6, 1, 7 }, example.Targets);
        // The loss counts where the target is a response token: predicting b (after the assistant marker) and the end.
        Assert.Equal(new[] { false, false, true, true }, example.TargetMask);
    }

    [Fact]
    public void Unknown_characters_are_dropped_and_responses_stop_at_the_end_marker()
    {
        Assert.Equal(new long[] { 0, 2 }, Template.Encode("aXc"));
        Assert.Equal("ba", Template.Response(new long[] { 1, 0, 7, 2, 2 }));
        Assert.Equal("ba", Template.Response(new long[] { 1, 5, 0 }));
        Assert.Throws<ArgumentException>(() => new ChatTemplate("aa".ToCharArray()));
    }
}
