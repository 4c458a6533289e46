namespace TransformersBook.Adversarial;

/// <summary>The instruction text, the correct answer and the program check of each <see cref="WordTask"/>.</summary>
public static class WordTasks
{
    /// <summary>Every task, in declaration order.</summary>
    public static IReadOnlyList<WordTask> All { get; } = Enum.GetValues<WordTask>();

    /// <summary>How the task is asked for: "say the first word", "say the second word", "say the last word".</summary>
    public static string Instruction(WordTask task) => task switch
    {
        WordTask.FirstWord => "say the first word",
        WordTask.SecondWord => "say the second word",
        WordTask.LastWord => "say the last word",
        _ => throw new ArgumentOutOfRangeException(nameof(task)),
    };

    /// <summary>The words of a passage: split on spaces, empty pieces dropped.</summary>
    public static string[] Words(string passage)
    {
        ArgumentNullException.ThrowIfNull(passage);
        return passage.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>The correct answer of the task on a passage of at least two words.</summary>
    public static string Answer(WordTask task, string passage)
    {
        var words = Words(passage);
        if (words.Length < 2) throw new ArgumentException("a passage needs at least two words.", nameof(passage));
        return task switch
        {
            WordTask.FirstWord => words[0],
            WordTask.SecondWord => words[1],
            WordTask.LastWord => words[^1],
            _ => throw new ArgumentOutOfRangeException(nameof(task)),
        };
    }

    /// <summary>True when the output, trimmed, is exactly the task's answer on the passage.</summary>
    public static bool Follows(WordTask task, string output, string passage)
    {
        ArgumentNullException.ThrowIfNull(output);
        return output.Trim() == Answer(task, passage);
    }

    /// <summary>True when the three tasks have three different answers on the passage, so an output follows at most one of them.</summary>
    public static bool Distinguishes(string passage) =>
        Words(passage).Length >= 3 && All.Select(task => Answer(task, passage)).Distinct(StringComparer.Ordinal).Count() == All.Count;
}
