namespace TransformersBook.Programs;

/// <summary>
/// A programming task in <see cref="ListLanguage"/>: visible examples that specify it, hidden tests that judge a
/// program, and the program that generated both (one solution among possibly many).
/// </summary>
/// <param name="Reference">The program the examples were made with.</param>
/// <param name="Visible">The examples the solver sees.</param>
/// <param name="Hidden">The tests a candidate program must pass.</param>
public sealed record ListTask(string Reference, IReadOnlyList<ListExample> Visible, IReadOnlyList<ListExample> Hidden)
{
    /// <summary>The visible examples as text, "input&gt;output" joined by ';', e.g. "3141&gt;1413;2718&gt;8172".</summary>
    public string Specification => string.Join(";", Visible.Select(e => $"{ListLanguage.Format(e.Input)}>{ListLanguage.Format(e.Output)}"));

    /// <summary>True when the program runs and passes every hidden test.</summary>
    /// <param name="program">The candidate.</param>
    public bool Passes(string program) => ListLanguage.Satisfies(program, Hidden);

    /// <summary>A random task: a random program of 1 to <paramref name="maxLength"/> operations and random input lists.</summary>
    /// <param name="random">The random stream.</param>
    /// <param name="maxLength">The longest reference program.</param>
    /// <param name="visible">How many visible examples.</param>
    /// <param name="hidden">How many hidden tests.</param>
    /// <param name="listLength">The length of every input list.</param>
    public static ListTask Random(Random random, int maxLength, int visible, int hidden, int listLength)
    {
        string program = ListLanguage.RandomProgram(random, maxLength);
        ListExample Example() { var input = ListLanguage.RandomList(random, listLength); return new ListExample(input, ListLanguage.Run(program, input)!); }
        var shown = Enumerable.Range(0, visible).Select(_ => Example()).ToList();
        var tests = Enumerable.Range(0, hidden).Select(_ => Example()).ToList();
        return new ListTask(program, shown, tests);
    }
}
