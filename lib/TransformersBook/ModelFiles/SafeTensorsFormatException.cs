namespace TransformersBook.ModelFiles;

/// <summary>A safetensors file that breaks one of the format's rules; <see cref="Rule"/> names which.</summary>
public sealed class SafeTensorsFormatException : FormatException
{
    /// <summary>Creates the exception for a broken <paramref name="rule"/>, explained by <paramref name="message"/>.</summary>
    /// <param name="rule">The rule the file breaks.</param>
    /// <param name="message">What was found, in words.</param>
    public SafeTensorsFormatException(SafeTensorsRule rule, string message) : base($"safetensors: {rule}: {message}") => Rule = rule;

    /// <summary>The rule the file breaks.</summary>
    public SafeTensorsRule Rule { get; }
}
