namespace TransformersBook.Serving;

/// <summary>How a sequence left the engine.</summary>
public enum SequenceOutcome
{
    /// <summary>It generated all its max_tokens.</summary>
    Completed,

    /// <summary>Its client went away (or cancelled) first; its place in the batch and its cache were freed.</summary>
    Cancelled,
}
