using TransformersBook.Programs;
using Xunit;

namespace TransformersBook.Tests;

/// <summary>The list language's operations on hand-worked lists.</summary>
public class ListLanguageTests
{
    static readonly int[] Input = { 3, 1, 4, 1, 5 };

    [Theory]
    [InlineData("", "31415")]
    [InlineData("r", "51413")]
    [InlineData("s", "11345")]
    [InlineData("+", "42526")]
    [InlineData("-", "20304")]
    [InlineData("d", "62820")]
    [InlineData("h", "1415")]
    [InlineData("t", "3141")]
    [InlineData("u", "3145")]
    [InlineData("e", "4")]
    [InlineData("sr", "54311")]      // sort, then reverse: descending
    [InlineData("ud+", "7391")]      // 31415 → 3145 → 6280 → 7391
    public void Runs_each_operation_left_to_right(string program, string expected) =>
        Assert.Equal(expected, ListLanguage.Format(ListLanguage.Run(program, Input)!));

    [Fact]
    public void Nine_plus_nine_wraps_and_empty_lists_stay_empty()
    {
        Assert.Equal("0", ListLanguage.Format(ListLanguage.Run("+", new[] { 9 })!));
        Assert.Equal("9", ListLanguage.Format(ListLanguage.Run("-", new[] { 0 })!));
        Assert.Empty(ListLanguage.Run("hhh", new[] { 1, 2 })!);
        Assert.Empty(ListLanguage.Run("et", new[] { 1, 3 })!);
    }

    [Fact]
    public void An_unknown_character_is_a_syntax_error()
    {
        Assert.Null(ListLanguage.Run("rx", Input));
        Assert.Null(ListLanguage.Run("|", Input));
        Assert.False(ListLanguage.Satisfies("r?", new[] { new ListExample(Input, Input) }));
    }

    [Fact]
    public void Enumerates_every_program_shortest_first()
    {
        var programs = ListLanguage.Enumerate(3).ToList();
        Assert.Equal(9 + 81 + 729, programs.Count);
        Assert.Equal(programs.Count, programs.Distinct().Count());
        Assert.Equal("r", programs[0]);
        Assert.Equal("rr", programs[9]);
        Assert.True(programs.Zip(programs.Skip(1)).All(p => p.First.Length <= p.Second.Length));
    }

    [Fact]
    public void A_random_task_is_solved_by_its_reference_program()
    {
        var random = new Random(3);
        for (int i = 0; i < 50; i++)
        {
            var task = ListTask.Random(random, maxLength: 3, visible: 3, hidden: 4, listLength: 5);
            Assert.True(ListLanguage.Satisfies(task.Reference, task.Visible));
            Assert.True(task.Passes(task.Reference));
            Assert.Equal(3, task.Specification.Split(';').Length);
        }
    }
}
