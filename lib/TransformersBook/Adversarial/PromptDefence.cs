namespace TransformersBook.Adversarial;

/// <summary>How <see cref="PromptInjection.Prompt"/> lays out a trusted instruction and an untrusted text field.</summary>
public enum PromptDefence
{
    /// <summary>No defence: <c>task: instruction | text: data</c>.</summary>
    None,

    /// <summary>
    /// Spotlighting by datamarking (Hines et al., 2024): every space of the data is replaced by <see cref="PromptInjection.DataMark"/>,
    /// so text inside the data field never looks like text outside it.
    /// </summary>
    Datamarking,

    /// <summary>The sandwich defence: the instruction is repeated after the data, <c>task: instruction | text: data | task: instruction</c>.</summary>
    Sandwich,
}
