namespace TransformersBook.Programs;

/// <summary>
/// A tiny programming language over lists of digits, small enough for a character-level model to write. A program is a
/// string of one-character operations applied left to right, each taking a list and returning one:
/// r reverse, s sort ascending, + add 1 to each digit (mod 10), - subtract 1 (mod 10), d double (mod 10),
/// h drop the first element, t drop the last element, u keep the first occurrence of each digit, e keep the even digits.
/// Any other character is a syntax error: the program does not run.
/// </summary>
public static class ListLanguage
{
    /// <summary>The operations, one character each, in the order <see cref="Enumerate"/> uses.</summary>
    public const string Operations = "rs+-dhtue";

    /// <summary>Runs a program on a list; null if the program contains a character that is not an operation.</summary>
    /// <param name="program">The operations, left to right (the empty program is the identity).</param>
    /// <param name="input">A list of digits 0–9.</param>
    public static int[]? Run(string program, IReadOnlyList<int> input)
    {
        var list = input.ToList();
        foreach (char operation in program)
        {
            switch (operation)
            {
                case 'r': list.Reverse(); break;
                case 's': list.Sort(); break;
                case '+': list = list.Select(x => (x + 1) % 10).ToList(); break;
                case '-': list = list.Select(x => (x + 9) % 10).ToList(); break;
                case 'd': list = list.Select(x => 2 * x % 10).ToList(); break;
                case 'h': if (list.Count > 0) list.RemoveAt(0); break;
                case 't': if (list.Count > 0) list.RemoveAt(list.Count - 1); break;
                case 'u': list = list.Distinct().ToList(); break;
                case 'e': list = list.Where(x => x % 2 == 0).ToList(); break;
                default: return null;
            }
        }
        return list.ToArray();
    }

    /// <summary>True when the program runs and gives the expected output on every example.</summary>
    /// <param name="program">The candidate program.</param>
    /// <param name="examples">Input/output pairs.</param>
    public static bool Satisfies(string program, IEnumerable<ListExample> examples) =>
        examples.All(e => Run(program, e.Input) is { } output && output.SequenceEqual(e.Output));

    /// <summary>Every program of 1 to <paramref name="maxLength"/> operations, shorter first, then in the order of <see cref="Operations"/>.</summary>
    /// <param name="maxLength">The longest program.</param>
    public static IEnumerable<string> Enumerate(int maxLength)
    {
        var current = new List<string> { "" };
        for (int length = 1; length <= maxLength; length++)
        {
            current = current.SelectMany(p => Operations.Select(o => p + o)).ToList();
            foreach (var program in current) yield return program;
        }
    }

    /// <summary>A uniformly random program of 1 to <paramref name="maxLength"/> operations (length first, uniformly).</summary>
    /// <param name="random">The random stream.</param>
    /// <param name="maxLength">The longest program.</param>
    public static string RandomProgram(Random random, int maxLength)
    {
        int length = random.Next(1, maxLength + 1);
        return new string(Enumerable.Range(0, length).Select(_ => Operations[random.Next(Operations.Length)]).ToArray());
    }

    /// <summary>A random list of <paramref name="length"/> digits.</summary>
    /// <param name="random">The random stream.</param>
    /// <param name="length">How many digits.</param>
    public static int[] RandomList(Random random, int length) => Enumerable.Range(0, length).Select(_ => random.Next(10)).ToArray();

    /// <summary>A list written as its digits, e.g. [3, 1, 4] as "314".</summary>
    /// <param name="list">Digits 0–9.</param>
    public static string Format(IEnumerable<int> list) => string.Concat(list.Select(d => (char)('0' + d)));
}

/// <summary>One input/output example of a list program.</summary>
/// <param name="Input">The input list.</param>
/// <param name="Output">The output the program must give.</param>
public sealed record ListExample(int[] Input, int[] Output);
