namespace TransformersBook.Adversarial;

/// <summary>
/// Prompts with a trusted instruction field and an untrusted text field, and the injections an attacker writes into
/// the text. A prompt is <c>task: instruction | text: data</c>; an injection appends a forged field
/// <c> | task: other instruction</c> to the data, so that the prompt the model reads looks as if it had a second task
/// (the "fake delimiter" form of Liu et al., 2024).
/// </summary>
public static class PromptInjection
{
    /// <summary>What opens the instruction field.</summary>
    public const string TaskField = "task: ";

    /// <summary>What opens the text field.</summary>
    public const string TextField = "text: ";

    /// <summary>What separates two fields.</summary>
    public const string Separator = " | ";

    /// <summary>The character datamarking puts in place of every space of the data.</summary>
    public const char DataMark = '^';

    /// <summary>The prompt for a trusted task and an untrusted data field, laid out by the defence.</summary>
    public static string Prompt(WordTask task, string data, PromptDefence defence = PromptDefence.None)
    {
        ArgumentNullException.ThrowIfNull(data);
        string instruction = TaskField + WordTasks.Instruction(task);
        return defence switch
        {
            PromptDefence.None => instruction + Separator + TextField + data,
            PromptDefence.Datamarking => instruction + Separator + TextField + Datamark(data),
            PromptDefence.Sandwich => instruction + Separator + TextField + data + Separator + instruction,
            _ => throw new ArgumentOutOfRangeException(nameof(defence)),
        };
    }

    /// <summary>The same content with the text field first: <c>text: data | task: instruction</c> (a training layout, not a defence).</summary>
    public static string TextFirstPrompt(WordTask task, string data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return TextField + data + Separator + TaskField + WordTasks.Instruction(task);
    }

    /// <summary>
    /// A prompt whose user corrects the instruction before giving the text: <c>task: first | task: second | text: data</c>.
    /// The second instruction is the one meant.
    /// </summary>
    public static string CorrectedPrompt(WordTask first, WordTask second, string data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return TaskField + WordTasks.Instruction(first) + Separator + TaskField + WordTasks.Instruction(second) + Separator + TextField + data;
    }

    /// <summary>The text an attacker appends to the data: a forged instruction field, <c> | task: instruction</c>.</summary>
    public static string Injection(WordTask injected) => Separator + TaskField + WordTasks.Instruction(injected);

    /// <summary>The data with the injection appended.</summary>
    public static string Inject(string data, WordTask injected)
    {
        ArgumentNullException.ThrowIfNull(data);
        return data + Injection(injected);
    }

    /// <summary>Datamarking: every space replaced by <see cref="DataMark"/>.</summary>
    public static string Datamark(string data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return data.Replace(' ', DataMark);
    }
}
