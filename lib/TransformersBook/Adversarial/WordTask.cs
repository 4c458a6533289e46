namespace TransformersBook.Adversarial;

/// <summary>
/// The instruction follower's tasks in the prompt-injection chapter: each reads a passage of words and answers with one
/// of them, so whether an output follows a task is checked by comparing strings (<see cref="WordTasks.Follows"/>).
/// </summary>
public enum WordTask
{
    /// <summary>Answer with the passage's first word.</summary>
    FirstWord,

    /// <summary>Answer with the passage's second word.</summary>
    SecondWord,

    /// <summary>Answer with the passage's last word.</summary>
    LastWord,
}
